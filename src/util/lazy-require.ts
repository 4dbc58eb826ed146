import { createRequire } from 'node:module'

const requireHere = createRequire(import.meta.url)

/**
 * A module required on its first use, not when logship is imported: for what only some
 * configurations need (crypto, tls) or what costs much to load (zod). Loading them costs the
 * app at import, and the shipping worker at its start while the app is already writing.
 */
export function lazyRequire<T>(specifier: string): () => T {
  let loaded: T | undefined
  return () => {
    loaded ??= requireHere(specifier) as T
    return loaded
  }
}
