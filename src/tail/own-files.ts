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
  /** dev:ino of the own files that exist, as of the last `refresh()` (once per scan, not per file). */
  #inodes = new Set<string>()

  constructor(files: readonly string[], dirs: readonly string[]) {
    this.#files = files.map((f) => resolve(f))
    this.#dirs = dirs.map((d) => resolve(d))
  }

  static of(config: Config): OwnFiles {
    const files: string[] = [config.registry.path]
    if (config.output.type === 'file') files.push(config.output.path)
    if (config.deadLetter?.path !== undefined) files.push(config.deadLetter.path)
    // tail mode always blocks: only a durable queue has a spill
    return new OwnFiles(files, config.queue.durable ? [config.queue.spill.dir] : [])
  }

  /** Looks up the own files' inodes again (they are created, rotated and replaced while logship runs). */
  refresh(): void {
    this.#inodes = new Set(
      this.#files
        .map(statQuietly)
        .filter((st) => st !== undefined)
        .map((st) => `${st.dev}:${st.ino}`),
    )
  }

  /** Which of logship's files `path` (with its stat) is, in words, or undefined when it is none. */
  whatIs(path: string, st?: Stats): string | undefined {
    const abs = resolve(path)
    for (const file of this.#files) {
      const tempPrefix = join(dirname(file), `.${basename(file)}.tmp-`)
      if (abs === file || abs.startsWith(`${file}.`) || abs.startsWith(tempPrefix)) return `file ${file}`
    }
    for (const dir of this.#dirs) if (abs === dir || abs.startsWith(`${dir}${sep}`)) return `spill directory ${dir}`
    if (st && this.#inodes.has(`${st.dev}:${st.ino}`)) return 'file (reached through another name)'
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
