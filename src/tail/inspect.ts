import { access, constants, stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { glob } from 'tinyglobby'
import type { Config } from '../config/schema.js'
import { firstLook } from './fingerprint.js'
import { describeError } from '../errors.js'

/** One thing `test config` found about the files and paths a config names. */
export interface Finding {
  readonly level: 'warning' | 'error'
  readonly message: string
}

/**
 * What `logship test config` checks beyond the schema: every glob matches a file (a typo
 * otherwise ships nothing, silently), matched files that would be skipped as binary, and
 * every path logship writes (registry, dead letters, file output) can be written.
 */
export async function inspectConfig(config: Config): Promise<Finding[]> {
  const findings: Finding[] = []
  for (const [i, input] of config.inputs.entries()) {
    if (input.type !== 'file') continue
    const exclude = input.excludeFiles.map((r) => new RegExp(r))
    for (const pattern of input.paths) {
      let paths: string[]
      try {
        paths = await glob(resolve(pattern), { absolute: true, onlyFiles: true, dot: true, followSymbolicLinks: true, expandDirectories: false })
      } catch (err) {
        findings.push({ level: 'warning', message: `inputs[${i}].paths: cannot match ${pattern}: ${describeError(err)}` })
        continue
      }
      if (paths.length === 0) {
        findings.push({
          level: 'warning',
          message: `inputs[${i}].paths: ${pattern} matches no file; check the path and that logship may read its directories (files that appear later are picked up)`,
        })
        continue
      }
      for (const path of paths.filter((p) => !exclude.some((r) => r.test(p))).slice(0, 1000)) {
        try {
          const st = await stat(path)
          const look = await firstLook(path, st.size, input.encoding, st.dev, st.ino)
          if (look?.binary) findings.push({ level: 'warning', message: `inputs[${i}]: ${path} would be skipped: it looks binary (${look.binary}); leave it out with excludeFiles` })
        } catch (err) {
          findings.push({ level: 'warning', message: `inputs[${i}]: cannot read ${path}: ${describeError(err)}; fix its permissions or leave it out with excludeFiles` })
        }
      }
    }
  }
  const written: [string, string][] = []
  if (config.inputs.some((i) => i.type === 'file')) written.push(['registry.path', config.registry.path])
  if (config.deadLetter?.path) written.push(['deadLetter.path', config.deadLetter.path])
  const output = config.output as { type: string; path?: string }
  if (output.type === 'file' && output.path) written.push(['output.path', output.path])
  for (const [key, path] of written) {
    const problem = await cannotWrite(resolve(path))
    if (problem) findings.push({ level: 'error', message: `${key}: ${path} cannot be written: ${problem}; choose another ${key} or fix the permissions` })
  }
  return findings
}

/** Why a file at `path` could not be created or written, or undefined when it can. Missing directories are created by logship when their parent can be written. */
async function cannotWrite(path: string): Promise<string | undefined> {
  try {
    await access(path, constants.W_OK)
    return undefined
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return describeError(err)
  }
  // The file does not exist yet: the nearest existing directory above it must be writable.
  let dir = dirname(path)
  for (;;) {
    try {
      const st = await stat(dir)
      if (!st.isDirectory()) return `${dir} is not a directory`
      await access(dir, constants.W_OK | constants.X_OK)
      return undefined
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return `the directory ${dir}: ${describeError(err)}`
    }
    const up = dirname(dir)
    if (up === dir) return 'no directory above it exists'
    dir = up
  }
}
