import { createRequire } from 'node:module'

const requireHere = createRequire(import.meta.url)

/**
 * A Node built-in module loaded on its first use. For the few (crypto, tls) that only some
 * configurations need: loading them costs the shipping worker several milliseconds of CPU at
 * its start, while the app is already writing, for nothing when they are never used.
 */
export function lazyBuiltin<T>(name: `node:${string}`): () => T {
  let loaded: T | undefined
  return () => {
    loaded ??= requireHere(name) as T
    return loaded
  }
}
