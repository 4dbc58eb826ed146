import { rename, mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { checkStateDir, readStateFile, writeFileAtomically } from '../fs/safe-file.js'
import { FileState, FINGERPRINT_BYTES } from './file-state.js'
import { describeError } from '../errors.js'

const FORMAT_VERSION = 1

/** How long a truncated file's old state waits for a copy of it to show up (copytruncate). */
export const ORPHAN_TTL_MS = 60_000

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
  readonly #orphans = new Map<string, { state: FileState; at: number }>()
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
    await mkdir(dirname(path), { recursive: true, mode: 0o700 })
    await checkStateDir(dirname(path), { what: 'the registry directory', strictPerms, warn })
    let text: string
    try {
      text = await readStateFile(path, 'the registry')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return registry
      throw new Error(`cannot read the registry ${path}: ${describeError(err)}; check its permissions`, { cause: err })
    }
    try {
      for (const state of parseRegistry(text)) registry.states.set(state.key, state)
      registry.#membershipChanged = false
    } catch (err) {
      const aside = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`
      await rename(path, aside)
      warn(`the registry ${path} could not be read (${describeError(err)}); moved it to ${aside} and starting without read pointers: files start by their \`start\` setting`)
    }
    return registry
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
   * (copytruncate): see `adoptOrphan`.
   */
  replace(old: FileState, fresh: { fpLen: number; fpHash: string; size: number }): FileState {
    const state = new FileState({ dev: old.dev, ino: old.ino, path: old.path, fpLen: fresh.fpLen, fpHash: fresh.fpHash, offset: 0, size: fresh.size })
    state.owner = old.owner
    state.seenGen = old.seenGen
    state.truncations = old.truncations + 1
    this.active.delete(old)
    if (old.fpLen === FINGERPRINT_BYTES) this.#orphans.set(old.fpHash, { state: old, at: Date.now() })
    this.states.set(state.key, state)
    this.#membershipChanged = true
    return state
  }

  /** A new file whose head matches a truncated file's old head is its copy: go on where that one stopped. */
  adoptOrphan(fpHash: string, dev: number, ino: number, path: string): FileState | undefined {
    const orphan = this.#orphans.get(fpHash)
    if (!orphan) return undefined
    this.#orphans.delete(fpHash)
    const state = orphan.state
    state.dev = dev
    state.ino = ino
    state.key = `${dev}:${ino}`
    state.path = path
    state.invalidateLine()
    this.add(state)
    return state
  }

  /** An open file (other than `key`) with this full fingerprint: a new file with it is a copy. */
  activeWithFingerprint(fpHash: string, key: string): FileState | undefined {
    for (const state of this.active) if (state.fpLen === FINGERPRINT_BYTES && state.fpHash === fpHash && state.key !== key) return state
    return undefined
  }

  expireOrphans(now: number): void {
    for (const [hash, orphan] of this.#orphans) if (now - orphan.at > ORPHAN_TTL_MS) this.#orphans.delete(hash)
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
    if (!changed) return
    this.#membershipChanged = false
    const text = `{"version":${FORMAT_VERSION},"written":"${new Date().toISOString()}","entries":[\n${lines.join(',\n')}\n]}\n`
    await writeFileAtomically(this.path, text)
    this.writes++
  }
}

/** Entries: [key, path, offset, fpLen, fpHash, lastSeen]. Throws on anything unexpected. */
export function parseRegistry(text: string): FileState[] {
  const doc = JSON.parse(text) as { version?: unknown; entries?: unknown }
  if (typeof doc !== 'object' || doc === null || doc.version !== FORMAT_VERSION || !Array.isArray(doc.entries)) {
    throw new Error(`expected {"version":${FORMAT_VERSION},"entries":[...]}`)
  }
  return doc.entries.map((e: unknown, i: number) => {
    if (!Array.isArray(e) || e.length < 6) throw new Error(`entry ${i} is not [key, path, offset, fpLen, fpHash, lastSeen]`)
    const [key, path, offset, fpLen, fpHash, lastSeen] = e as unknown[]
    const m = typeof key === 'string' ? /^(\d+):(\d+)$/.exec(key) : null
    if (!m || typeof path !== 'string' || !isCount(offset) || !isCount(fpLen) || typeof fpHash !== 'string' || !isCount(lastSeen)) {
      throw new Error(`entry ${i} has a bad field`)
    }
    return new FileState({ dev: Number(m[1]), ino: Number(m[2]), path, fpLen, fpHash, offset, size: offset, lastSeen })
  })
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
}
