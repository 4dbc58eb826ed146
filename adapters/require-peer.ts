import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

/**
 * Loads an optional peer dependency of an adapter, or fails with what to install: logship
 * does not install the pino and winston transport bases for users who do not use them.
 */
export function requirePeer<T>(name: string, adapter: string, install: string): T {
  try {
    return require(name) as T
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err
    throw new Error(`${adapter} needs the package ${name}, an optional peer dependency of logship that is not installed: run npm install ${install}`, { cause: err })
  }
}
