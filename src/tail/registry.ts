import { open, rename, mkdir, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { checkStateDir, readStateFile, writeFileAtomically } from '../fs/safe-file.js'
import { FileState } from './file-state.js'
import { describeError, LogshipError } from '../errors.js'

const FORMAT_VERSION = 1

/** How long a truncated file's old state waits for a copy of it to show up (copytruncate). */
const ORPHAN_TTL_MS = 60_000

/**
 * The read pointers of every known file, in memory and on disk. On disk it is one JSON
 * document with one entry per line, replaced atomically (temp file, fsync, rename, fsync of
 * the directory), mode 0600. Only acknowledged offsets are written.
 */
export class Registry {
  readonly path: string
  readonly states = new Map<string, FileState>()
  /** States with an open harvester. */
  readonly active = new Set<FileState>()
  readonly #orphans = new Map<FileState, number>()
  #membershipChanged = true
  #writing: Promise<void> = Promise.resolve()
  /** Registry writes so far (stats). */
  writes = 0

  private constructor(path: string) {
    this.path = path
  }

  /**
   * Loads the registry, or starts empty when there is none. A registry that cannot be read is
   * moved aside (`<path>.corrupt-<time>`) with a warning: logship starts anyway.
   */
  static async open(path: string, warn: (message: string) => void, strictPerms = true): Promise<Registry> {
    const registry = new Registry(path)
    try {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 })
    } catch (err) {
      throw new Error(`cannot create the directory of the registry ${path} (registry.path): ${describeError(err)}; choose another registry.path or fix the permissions`, {
        cause: err,
      })
    }
    await checkStateDir(dirname(path), { what: 'the registry directory', strictPerms, warn })
    await lock(path)
    let text: string
    try {
      text = await readStateFile(path, 'the registry')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return registry
      // logship does not start: the lock must not outlive it
      await registry.release()
      throw new Error(unreadable(path, err), { cause: err })
    }
    try {
      const now = Date.now()
      for (const { state, orphan } of parseEntries(text)) {
        // A truncated file's old read pointer, kept for its copy: the copy may be found only after this restart.
        if (orphan) registry.#orphans.set(state, now)
        else registry.states.set(state.key, state)
      }
      registry.#membershipChanged = false
    } catch (err) {
      const aside = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`
      await rename(path, aside)
      warn(`the registry ${path} could not be read (${describeError(err)}); moved it to ${aside} and starting without read pointers: files start by their \`start\` setting`)
    }
    return registry
  }

  /** Lets go of the registry's lock (at shutdown, after the last write). */
  async release(): Promise<void> {
    await unlink(`${this.path}.lock`).catch(() => {})
  }

  get(key: string): FileState | undefined {
    return this.states.get(key)
  }

  add(state: FileState): void {
    this.states.set(state.key, state)
    this.#membershipChanged = true
  }

  delete(state: FileState): void {
    if (this.states.get(state.key) === state) {
      this.states.delete(state.key)
      this.#membershipChanged = true
    }
  }

  /**
   * The content under `state` was truncated or replaced: a new state takes its key, reading
   * from 0. The old one keeps its read pointer for a while, in case a copy of it appears
   * (copytruncate): see `adopt`.
   */
  replace(old: FileState, fresh: { fpLen: number; fpHash: string; head: Buffer; size: number }): FileState {
    const state = new FileState({ dev: old.dev, ino: old.ino, path: old.path, fpLen: fresh.fpLen, fpHash: fresh.fpHash, head: fresh.head, offset: 0, size: fresh.size })
    state.owner = old.owner
    state.seenGen = old.seenGen
    state.truncations = old.truncations + 1
    this.active.delete(old)
    this.#orphan(old)
    this.states.set(state.key, state)
    this.#membershipChanged = true
    return state
  }

  /**
   * The file of `state` is gone, or its inode now holds other content: forget it, but keep
   * its read pointer for a while in case the same content shows up under another inode (a
   * copy, a re-created file, a move across filesystems).
   */
  retire(state: FileState): void {
    this.delete(state)
    this.active.delete(state)
    this.#orphan(state)
  }

  #orphan(state: FileState): void {
    if (state.fpLen > 0) {
      this.#orphans.set(state, Date.now())
      this.#membershipChanged = true
    }
  }

  /** Truncated or gone files whose content may still show up elsewhere. */
  get orphans(): Iterable<FileState> {
    return this.#orphans.keys()
  }

  /**
   * `state` (an orphan, or a known file whose inode is gone) is the content now found at
   * `dev`/`ino`/`path`, `size` bytes long: go on where it stopped. A copy shorter than what was
   * read of its original holds only lines already shipped: it is done, and its
   * acknowledgements stop at its end.
   */
  adopt(state: FileState, dev: number, ino: number, path: string, size: number): FileState {
    if (this.#orphans.delete(state)) this.#membershipChanged = true
    this.delete(state)
    state.dev = dev
    state.ino = ino
    state.key = `${dev}:${ino}`
    state.path = path
    state.size = size
    if (state.readOffset > size) {
      state.readOffset = size
      state.endOffset = size
      if (state.ackedOffset > size) state.ackedOffset = size
    }
    state.invalidateLine()
    this.add(state)
    return state
  }

  expireOrphans(now: number): void {
    for (const [state, at] of this.#orphans) {
      if (now - at <= ORPHAN_TTL_MS) continue
      this.#orphans.delete(state)
      this.#membershipChanged = true
    }
  }

  /** Writes the acknowledged offsets if anything changed. Writes never overlap. */
  save(): Promise<void> {
    this.#writing = this.#writing.then(() => this.#save())
    return this.#writing
  }

  async #save(): Promise<void> {
    let changed = this.#membershipChanged
    const lines: string[] = []
    for (const state of this.states.values()) {
      if (state.savedLine === undefined || state.savedOffset !== state.ackedOffset) {
        state.savedLine = JSON.stringify([state.key, state.path, state.ackedOffset, state.fpLen, state.fpHash, state.lastSeen])
        state.savedOffset = state.ackedOffset
        changed = true
      }
      lines.push(state.savedLine)
    }
    // Orphans too (a 7th field, 1): a copytruncate copy not yet found when logship stops is
    // found after the restart and read from where its original stopped, not from 0.
    for (const state of this.#orphans.keys()) {
      lines.push(JSON.stringify([state.key, state.path, state.ackedOffset, state.fpLen, state.fpHash, state.lastSeen, 1]))
      if (state.savedOffset !== state.ackedOffset) {
        state.savedOffset = state.ackedOffset
        changed = true
      }
    }
    if (!changed) return
    this.#membershipChanged = false
    const text = `{"version":${FORMAT_VERSION},"written":"${new Date().toISOString()}","entries":[\n${lines.join(',\n')}\n]}\n`
    await writeFileAtomically(this.path, text)
    this.writes++
  }
}

/**
 * One process per registry: two would each ship every file and overwrite each other's read
 * pointers. `<registry>.lock` holds the owner's pid; a lock whose process is gone (kill -9) is
 * taken over.
 */
async function lock(path: string): Promise<void> {
  const lockPath = `${path}.lock`
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(lockPath, 'wx', 0o600)
      await fh.writeFile(`${process.pid}\n`)
      await fh.close()
      return
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new Error(`cannot lock the registry ${path} (registry.path): ${describeError(err)}; choose another registry.path or fix the permissions`, { cause: err })
      }
    }
    const owner = Number((await readStateFile(lockPath, 'the registry lock').catch(() => '')).trim())
    if (Number.isSafeInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
      throw new Error(
        `another logship process (pid ${owner}) uses the registry ${path}; stop it, or give this config its own registry.path (two processes on one registry ship every line twice)`,
      )
    }
    await unlink(lockPath).catch(() => {}) // left by a process that is gone
  }
  throw new Error(`cannot lock the registry ${path}: ${lockPath} keeps coming back; is another logship starting at the same time?`)
}

/** Why the registry cannot be read, and what to do: the advice depends on the cause. */
function unreadable(path: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code
  if (code === 'EISDIR') return `registry.path ${path} is a directory; give the path of a file in it, such as ${join(path, 'registry.json')}`
  // our own refusals (a symbolic link, a file others may write) carry their own advice
  if (err instanceof LogshipError) return `cannot read the registry ${path}: ${err.message}`
  return `cannot read the registry ${path}: ${describeError(err)}; check its permissions`
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The read pointers of the files in a registry (not the orphans). Throws on anything unexpected. */
export function parseRegistry(text: string): FileState[] {
  return parseEntries(text)
    .filter((e) => !e.orphan)
    .map((e) => e.state)
}

/**
 * Entries: [key, path, offset, fpLen, fpHash, lastSeen], and a 7th field 1 for an orphan (the
 * old content of a truncated file, kept for its copy). Throws on anything unexpected.
 */
function parseEntries(text: string): { state: FileState; orphan: boolean }[] {
  const doc = JSON.parse(text) as { version?: unknown; entries?: unknown }
  if (typeof doc !== 'object' || doc === null || doc.version !== FORMAT_VERSION || !Array.isArray(doc.entries)) {
    throw new Error(`expected {"version":${FORMAT_VERSION},"entries":[...]}`)
  }
  return doc.entries.map((e: unknown, i: number) => {
    if (!Array.isArray(e) || e.length < 6) throw new Error(`entry ${i} is not [key, path, offset, fpLen, fpHash, lastSeen]`)
    const [key, path, offset, fpLen, fpHash, lastSeen, orphan] = e as unknown[]
    const m = typeof key === 'string' ? /^(\d+):(\d+)$/.exec(key) : null
    if (!m || typeof path !== 'string' || !isCount(offset) || !isCount(fpLen) || typeof fpHash !== 'string' || !isCount(lastSeen)) {
      throw new Error(`entry ${i} has a bad field`)
    }
    return { state: new FileState({ dev: Number(m[1]), ino: Number(m[2]), path, fpLen, fpHash, offset, size: offset, lastSeen }), orphan: orphan === 1 }
  })
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
}
