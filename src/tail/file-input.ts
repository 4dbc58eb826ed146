import { lstat, stat } from 'node:fs/promises'
import type { Stats } from 'node:fs'
import { glob } from 'tinyglobby'
import { FileState, keyOf } from './file-state.js'
import { firstLook, fingerprintPath } from './fingerprint.js'
import { sameHead, copyOfLive, replacedSince, stillAt } from './identity.js'
import type { HarvestContext } from './harvester.js'
import { HarvesterPool } from './harvester-pool.js'
import { InputGlobs } from './globs.js'
import { describeError } from '../errors.js'

/**
 * One `type: file` input: matches its globs every `scanIntervalMs`, decides for each file
 * found whether it is known (same device + inode), renamed (known inode, new path), new, a
 * copy of a truncated file (same head), binary or unreadable, and runs one harvester per file
 * (at most `harvesterLimit` at once: see HarvesterPool). Forgets files that are gone once they are acknowledged.
 */
/** Scans a possible copy waits for its original to be seen truncated before it is read as a new file. */
const DEFER_SCANS = 5

export interface SkippedFile {
  readonly path: string
  readonly reason: string
  readonly size: number
}

export class FileInput {
  readonly #ctx: HarvestContext
  readonly #globs: InputGlobs
  readonly #exclude: RegExp[]
  readonly #owned = new Set<FileState>()
  readonly #pool: HarvesterPool
  /** Binary files by key: skipped until their size changes. */
  readonly #skipped = new Map<string, SkippedFile>()
  /** Copies of live files (by key), with the size they were found a copy at. */
  readonly #copies = new Map<string, number>()
  /** Possible copies waiting for their original's truncation to be seen: scans waited. */
  readonly #deferred = new Map<string, number>()
  readonly #warnedPaths = new Map<string, string>()
  #generation = 0
  #timer: NodeJS.Timeout | undefined
  #scanning: Promise<void> | undefined
  #stopped = false
  #paused = false

  constructor(ctx: HarvestContext) {
    this.#ctx = ctx
    this.#globs = new InputGlobs(ctx.input.paths)
    this.#exclude = ctx.input.excludeFiles.map((r) => new RegExp(r))
    this.#pool = new HarvesterPool(
      ctx,
      () => this.#stopped || this.#paused,
      (state) => this.#claim(state),
    )
  }

  /** First scan; in follow mode, keeps scanning every scanIntervalMs. */
  async start(first: boolean): Promise<void> {
    await this.scan(first)
    if (!this.#ctx.once) this.#schedule()
  }

  /** --once: resolves when every file found is read to its end. */
  finished(): Promise<void> {
    return this.#pool.finished()
  }

  /** Stops scanning and every harvester (after the chunk in hand). */
  async stop(): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#timer)
    await this.#scanning
    await this.#pool.stopAll()
  }

  /** SIGHUP: let go of every file and open them again by path at the next scan. */
  async reopen(): Promise<void> {
    this.#paused = true
    clearTimeout(this.#timer)
    await this.#scanning
    await this.#pool.stopAll()
    this.#paused = false
    if (this.#stopped) return
    await this.scan(false)
    this.#schedule()
  }

  #schedule(): void {
    if (this.#stopped || this.#paused) return
    this.#timer = setTimeout(() => {
      void this.scan(false).finally(() => this.#schedule())
    }, this.#ctx.input.scanIntervalMs)
  }

  scan(first: boolean): Promise<void> {
    this.#scanning ??= this.#scan(first).finally(() => (this.#scanning = undefined))
    return this.#scanning
  }

  async #scan(first: boolean): Promise<void> {
    const { input } = this.#ctx
    const gen = ++this.#generation
    const now = Date.now()
    let paths: string[]
    try {
      paths = await glob(this.#globs.patterns, { absolute: true, onlyFiles: true, dot: true, followSymbolicLinks: input.symlinks, expandDirectories: false })
    } catch (err) {
      this.#ctx.warn(`cannot match ${input.paths.join(', ')}: ${describeError(err)}`)
      return
    }
    paths.sort()
    this.#globs.reportEmpty(paths, (m) => this.#ctx.warn(m))
    this.#ctx.ownFiles?.refresh()
    // Known inodes first, so that every file still there is marked seen before a new one is
    // compared with them (a new file with a known file's content is a copy, or that file moved).
    const unknown: { path: string; st: Stats }[] = []
    for (const path of paths) {
      if (this.#stopped || this.#paused) return
      if (this.#exclude.some((r) => r.test(path))) continue
      let st
      try {
        // lstat: a link is seen as a link (the harvester's open then checks the inode it found)
        st = await (input.symlinks ? stat : lstat)(path)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.#warnOnce(path, `cannot read ${path}: ${describeError(err)}`)
        continue
      }
      if (!st.isFile()) continue
      const own = this.#ctx.ownFiles?.whatIs(path, st)
      if (own !== undefined) {
        this.#warnOnce(path, `skipping ${path}: it is logship's own ${own}; reading it would ship logship's output back to itself (narrow the glob to silence this)`)
        continue
      }
      const known = this.#ctx.registry.get(keyOf(st.dev, st.ino))
      if (known && known.owner !== undefined && known.owner !== this) continue // another input reads it
      if (known && (await this.#followKnown(known, path, st, gen, now))) continue
      unknown.push({ path, st })
    }
    for (const { path, st } of unknown) {
      if (this.#stopped || this.#paused) return
      await this.#considerNew(path, st, gen, now, first)
    }
    this.#forgetGone(gen)
    this.#ctx.registry.expireOrphans(now)
    this.#pool.startWaiting()
  }

  /** A file under a known inode. Returns false when the inode now holds other content (the old file was deleted). */
  async #followKnown(known: FileState, path: string, st: Stats, gen: number, now: number): Promise<boolean> {
    const { registry, counters } = this.#ctx
    this.#claim(known)
    if (known.seenGen === gen && known.path !== path) return true // a second hard link to the same file
    known.seenGen = gen
    known.lastSeen = now
    known.size = st.size
    if (known.harvester) {
      // It holds the file open: the inode cannot have been reused.
      if (known.path !== path) this.#renamed(known, path)
      known.harvester.requestCheck()
      // Grown, or shrunk below its read pointer (truncated: a copy of it may wait for its reader to notice).
      if (st.size !== known.readOffset) known.harvester.poke()
      return true
    }
    if (known.path === path && st.size === known.readOffset && !(known.fpLen > 0 && st.size < known.fpLen)) return true
    // Before trusting the inode, check the content: a deleted file's inode is reused by the next one.
    if (known.fpLen > 0) {
      let fp
      try {
        fp = await fingerprintPath(path, known.fpLen, known.dev, known.ino)
      } catch (err) {
        counters.openErrors++
        this.#warnOnce(path, `cannot read ${path}: ${describeError(err)}; other files go on, and it is tried again at each scan`)
        return true
      }
      if (!fp) return true // renamed under us: the next scan sees where it went
      if (fp.len < known.fpLen || fp.hash !== known.fpHash) {
        if (fp.len < known.fpLen && st.size < known.readOffset && known.path === path) {
          // Truncated in place while closed: the harvester reads it again from 0 and keeps the old content's pointer for a copy.
          if (!this.#tooOld(st.mtimeMs, now)) this.#pool.start(known)
          return true
        }
        registry.retire(known)
        return false
      }
    }
    if (known.path !== path) this.#renamed(known, path)
    if (st.size === known.readOffset && !(known.fpLen > 0 && st.size < known.fpLen)) return true
    if (this.#tooOld(st.mtimeMs, now)) return true
    this.#pool.start(known)
    return true
  }

  #renamed(state: FileState, path: string): void {
    state.path = path
    state.invalidateLine()
    state.harvester?.renamed(path)
    this.#ctx.counters.renames++
  }

  /** A file under an inode logship does not know: new, a copy of a known file, or a known file's content under a new inode. */
  async #considerNew(path: string, st: Stats, gen: number, now: number, first: boolean): Promise<void> {
    const { registry, input, counters } = this.#ctx
    const key = keyOf(st.dev, st.ino)
    if (this.#skipped.get(key)?.size === st.size) return
    if (this.#tooOld(st.mtimeMs, now)) return
    let fp
    try {
      fp = await firstLook(path, st.size, input.encoding, st.dev, st.ino)
    } catch (err) {
      counters.openErrors++
      this.#warnOnce(path, `cannot read ${path}: ${describeError(err)}; other files go on, and it is tried again at each scan`)
      return
    }
    if (!fp) return // renamed under us: the next scan sees where it went
    this.#warnedPaths.delete(path)
    if (fp.binary !== undefined) {
      if (!this.#skipped.has(key)) {
        counters.binarySkipped++
        this.#ctx.warn(`skipping ${path}: it looks binary (${fp.binary}); use excludeFiles to leave it out of the globs, or encoding: utf16le for UTF-16 text`)
      }
      this.#skipped.set(key, { path, reason: fp.binary, size: st.size })
      return
    }
    this.#skipped.delete(key)
    if (fp.len === 0) return // nothing to read yet: it is looked at again once it has bytes

    // The same content as a file logship knows?
    let live: FileState | undefined
    let gone: FileState | undefined
    for (const s of registry.states.values()) {
      if (s.key === key || !sameHead(s, fp)) continue
      // Another input's file, or one seen in this scan, is live. A state restored from the
      // registry that no input has claimed yet is live only if its file is still where it was.
      const seen = s.seenGen === gen || s.harvester !== undefined || (s.owner === undefined ? await stillAt(s) : s.owner !== this)
      if (seen) live ??= s
      else gone ??= s
    }
    for (const s of registry.orphans) if (sameHead(s, fp)) gone ??= s
    if (live && !gone) {
      if (this.#copies.get(key) === st.size) return // still the copy it was
      const copy = await copyOfLive(live, path, st)
      if (copy === true) {
        // A copy of a file being read (logrotate `copy`, or `copytruncate` before its truncation): its lines come from the original.
        if (!this.#copies.has(key)) this.#ctx.info(`${path} is a copy of ${live.path}: its lines are read from the original`)
        this.#copies.set(key, st.size)
        return
      }
      if (await this.#awaitTruncation(live, key, copy === undefined)) return
    }
    this.#deferred.delete(key)
    this.#copies.delete(key)
    if (gone) {
      const from = gone.path
      const adopted = registry.adopt(gone, st.dev, st.ino, path, st.size)
      counters.copiesResumed++
      adopted.owner = undefined
      this.#claim(adopted)
      adopted.seenGen = gen
      adopted.lastSeen = now
      this.#ctx.info(
        `${path} holds the content of ${from === path ? 'a file read before' : from} (a rotated copy, or the same file under a new inode): reading it from offset ${adopted.readOffset}`,
      )
      if (st.size > adopted.readOffset) this.#pool.start(adopted)
      return
    }
    const startAtEnd = first && input.start === 'end'
    const state = new FileState({ dev: st.dev, ino: st.ino, path, fpLen: fp.len, fpHash: fp.hash, head: fp.head, offset: startAtEnd ? st.size : 0, size: st.size })
    registry.add(state)
    this.#claim(state)
    state.seenGen = gen
    if (st.size > state.readOffset || !this.#ctx.once) this.#pool.start(state)
  }

  /**
   * A possible copy is not a copy of its original as it is now: the original was probably truncated a moment
   * ago (copytruncate) and its reader has not started it again yet. Until it has, the old
   * content's read pointer is not free for the copy, and reading the copy as a new file would
   * ship again what was read of the original: wake the reader and wait. When the original is
   * certainly truncated (below its read pointer, or another head: it may have been written
   * past the copy's length already), the copy waits as long as the reader is held up (a full
   * queue); when that cannot be told (`unsure`: the original is shorter than the copy), a few
   * scans; otherwise (a file that only shares its first KiB with the original) not at all.
   */
  async #awaitTruncation(live: FileState, key: string, unsure: boolean): Promise<boolean> {
    const deferred = (this.#deferred.get(key) ?? 0) + 1
    this.#deferred.set(key, deferred)
    if (!(unsure && deferred <= DEFER_SCANS) && !(await replacedSince(live))) return false
    live.harvester?.requestCheck()
    live.harvester?.poke()
    return true
  }

  #claim(state: FileState): void {
    state.owner = this
    this.#owned.add(state)
  }

  #tooOld(mtimeMs: number, now: number): boolean {
    return this.#ctx.input.ignoreOlderMs > 0 && now - mtimeMs > this.#ctx.input.ignoreOlderMs
  }

  /** Files this input no longer finds: forget them once every line read from them is acknowledged. */
  #forgetGone(gen: number): void {
    for (const state of this.#owned) {
      if (this.#ctx.registry.get(state.key) !== state) {
        if (!state.harvester && state.settled) this.#owned.delete(state) // replaced (truncated) or re-keyed
        continue
      }
      if (state.seenGen === gen || state.harvester || !this.#ctx.input.cleanRemoved || !state.settled) continue
      this.#ctx.registry.retire(state)
      this.#owned.delete(state)
      this.#pool.unwait(state)
    }
  }

  /** Starts waiting files while there is room (also called when another input frees a slot). */
  startWaiting(): void {
    this.#pool.startWaiting()
  }

  #warnOnce(path: string, message: string): void {
    if (this.#warnedPaths.get(path) === message) return
    this.#warnedPaths.set(path, message)
    this.#ctx.warn(message)
  }

  /** Files left out because they look binary. */
  get skipped(): Iterable<SkippedFile> {
    return this.#skipped.values()
  }

  /** Lag of the files of this input. */
  get states(): Iterable<FileState> {
    return this.#owned
  }
}
