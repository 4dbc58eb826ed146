import { statSync, type Stats } from 'node:fs'
import { basename, dirname, join, resolve, sep } from 'node:path'
import type { Config } from '../config/index.js'

/**
 * The files logship itself writes (file output, dead letters, registry, spill). A glob that
 * matches one of them would feed logship its own output back, growing without end: they are
 * left out of every input, by path and by device+inode (which also catches links to them).
 */
export class OwnFiles {
  /** Exact files; `<file>.<anything>` (rotations, `.corrupt-…` asides) counts as the same file. */
  readonly #files: string[]
  /** Whole directories (the spill). */
  readonly #dirs: string[]

  constructor(files: readonly string[], dirs: readonly string[]) {
    this.#files = files.map((f) => resolve(f))
    this.#dirs = dirs.map((d) => resolve(d))
  }

  static of(config: Config): OwnFiles {
    const files: string[] = [config.registry.path]
    if (config.output.type === 'file') files.push(config.output.path)
    if (config.deadLetter?.path !== undefined) files.push(config.deadLetter.path)
    const durable = config.queue.durable || config.queue.whenFull === 'spill'
    return new OwnFiles(files, durable && config.queue.spill.dir !== undefined ? [config.queue.spill.dir] : [])
  }

  /** What `path` (with its stat) is to logship, or undefined when it is not one of its files. */
  whatIs(path: string, st?: Stats): string | undefined {
    const abs = resolve(path)
    for (const file of this.#files) {
      const tempPrefix = join(dirname(file), `.${basename(file)}.tmp-`)
      if (abs === file || abs.startsWith(`${file}.`) || abs.startsWith(tempPrefix)) return file
    }
    for (const dir of this.#dirs) if (abs === dir || abs.startsWith(`${dir}${sep}`)) return dir
    if (st) {
      for (const file of this.#files) {
        const own = statQuietly(file)
        if (own && own.dev === st.dev && own.ino === st.ino) return file
      }
    }
    return undefined
  }
}

function statQuietly(path: string): Stats | undefined {
  try {
    return statSync(path)
  } catch {
    return undefined
  }
}
