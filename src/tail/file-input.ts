import { lstat, stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { glob } from 'tinyglobby'
import { FileState, FINGERPRINT_BYTES, keyOf } from './file-state.js'
import { fingerprintPath } from './fingerprint.js'
import { Harvester, type HarvestContext } from './harvester.js'
import { describeError } from '../errors.js'

/**
 * One `type: file` input: matches its globs every `scanIntervalMs`, decides for each file
 * found whether it is known (same device + inode), renamed (known inode, new path), new, a
 * copy of a truncated file (same head), binary or unreadable, and runs one harvester per file
 * (at most `harvesterLimit` at once). Forgets files that are gone once they are acknowledged.
 */
export class FileInput {
  readonly #ctx: HarvestContext
  readonly #patterns: string[]
  readonly #exclude: RegExp[]
  readonly #owned = new Set<FileState>()
  readonly #waiting = new Set<FileState>()
  readonly #running = new Set<Promise<void>>()
  readonly #harvesters = new Set<Harvester>()
  readonly #skipped = new Map<string, string>()
  readonly #warnedPaths = new Map<string, string>()
  #generation = 0
  #active = 0
  #timer: NodeJS.Timeout | undefined
  #scanning: Promise<void> | undefined
  #stopped = false
  #paused = false

  constructor(ctx: HarvestContext) {
    this.#ctx = ctx
    this.#patterns = ctx.input.paths.map((p) => toGlob(p))
    this.#exclude = ctx.input.excludeFiles.map((r) => new RegExp(r))
  }

  /** First scan; in follow mode, keeps scanning every scanIntervalMs. */
  async start(first: boolean): Promise<void> {
    await this.scan(first)
    if (!this.#ctx.once) this.#schedule()
  }

  /** --once: resolves when every file found is read to its end. */
  async finished(): Promise<void> {
    while (this.#running.size > 0 || this.#waiting.size > 0) {
      await Promise.all(this.#running)
      this.#startWaiting()
    }
  }

  /** Stops scanning and every harvester (after the chunk in hand). */
  async stop(): Promise<void> {
    this.#stopped = true
    clearTimeout(this.#timer)
    await this.#scanning
    await this.#stopHarvesters()
  }

  /** SIGHUP: let go of every file and open them again by path at the next scan. */
  async reopen(): Promise<void> {
    this.#paused = true
    clearTimeout(this.#timer)
    await this.#scanning
    await this.#stopHarvesters()
    this.#paused = false
    if (this.#stopped) return
    await this.scan(false)
    this.#schedule()
  }

  async #stopHarvesters(): Promise<void> {
    this.#waiting.clear()
    // Harvesters, not states: a harvester moves to a new state when its file is truncated.
    for (const harvester of this.#harvesters) harvester.stop()
    await Promise.all(this.#running)
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
    const { registry, input, counters } = this.#ctx
    const gen = ++this.#generation
    const now = Date.now()
    let paths: string[]
    try {
      paths = await glob(this.#patterns, { absolute: true, onlyFiles: true, dot: true, followSymbolicLinks: input.symlinks, expandDirectories: false })
    } catch (err) {
      this.#ctx.warn(`cannot match ${input.paths.join(', ')}: ${describeError(err)}`)
      return
    }
    paths.sort()
    this.#ctx.ownFiles?.refresh()
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
      const key = keyOf(st.dev, st.ino)
      const known = registry.get(key)
      if (known && (known.owner === undefined || known.owner === this)) {
        this.#claim(known)
        if (known.seenGen === gen && known.path !== path) continue // a second hard link to the same file
        known.seenGen = gen
        known.lastSeen = now
        known.size = st.size
        if (known.path !== path) {
          known.path = path
          known.invalidateLine()
          known.harvester?.renamed(path)
          counters.renames++
        }
        if (known.harvester) {
          known.harvester.requestCheck()
          if (st.size > known.readOffset) known.harvester.poke()
          continue
        }
        if (st.size === known.readOffset && !(known.fpLen > 0 && st.size < known.fpLen)) continue
        if (this.#tooOld(st.mtimeMs, now)) continue
        this.#startHarvester(known)
        continue
      }
      if (known) continue // another input reads it
      if (this.#skipped.get(key) === `${st.size}`) continue
      if (this.#tooOld(st.mtimeMs, now)) continue
      let fp
      try {
        fp = await fingerprintPath(path, st.size, input.encoding)
      } catch (err) {
        counters.openErrors++
        this.#warnOnce(path, `cannot read ${path}: ${describeError(err)}; other files go on, and it is tried again at each scan`)
        continue
      }
      this.#warnedPaths.delete(path)
      if (fp.binary) {
        if (!this.#skipped.has(key)) {
          counters.binarySkipped++
          this.#ctx.warn(`skipping ${path}: it looks binary (a NUL byte in its first ${fp.len} bytes); use excludeFiles to leave it out of the globs, or encoding: utf16le for UTF-16 text`)
        }
        this.#skipped.set(key, `${st.size}`)
        continue
      }
      if (fp.len === FINGERPRINT_BYTES) {
        if (registry.activeWithFingerprint(fp.hash, key)) continue // a copy of a file being read (copytruncate in progress)
        const adopted = registry.adoptOrphan(fp.hash, st.dev, st.ino, path)
        if (adopted) {
          counters.copiesResumed++
          adopted.owner = undefined
          this.#claim(adopted)
          adopted.seenGen = gen
          adopted.size = st.size
          this.#ctx.info(`${path} is the copy of a truncated file: reading it from offset ${adopted.readOffset}`)
          if (st.size > adopted.readOffset) this.#startHarvester(adopted)
          continue
        }
      }
      const startAtEnd = first && input.start === 'end'
      const state = new FileState({ dev: st.dev, ino: st.ino, path, fpLen: fp.len, fpHash: fp.hash, offset: startAtEnd ? st.size : 0, size: st.size })
      registry.add(state)
      this.#claim(state)
      state.seenGen = gen
      if (st.size > state.readOffset || !this.#ctx.once) this.#startHarvester(state)
    }
    this.#forgetGone(gen)
    registry.expireOrphans(now)
    this.#startWaiting()
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
      this.#ctx.registry.delete(state)
      this.#owned.delete(state)
      this.#waiting.delete(state)
    }
  }

  #startHarvester(state: FileState): void {
    if (state.harvester || this.#stopped || this.#paused) return
    const limit = this.#ctx.input.harvesterLimit
    if (limit > 0 && this.#active >= limit) {
      this.#waiting.add(state)
      return
    }
    this.#waiting.delete(state)
    const harvester = new Harvester(state, this.#ctx)
    state.harvester = harvester
    this.#active++
    this.#harvesters.add(harvester)
    const run: Promise<void> = harvester.run().finally(() => {
      this.#active--
      this.#harvesters.delete(harvester)
      this.#claim(harvester.state)
      this.#running.delete(run)
      this.#startWaiting()
    })
    this.#running.add(run)
  }

  #startWaiting(): void {
    for (const state of this.#waiting) {
      const limit = this.#ctx.input.harvesterLimit
      if (limit > 0 && this.#active >= limit) return
      this.#waiting.delete(state)
      if (this.#ctx.registry.get(state.key) === state) this.#startHarvester(state)
    }
  }

  #warnOnce(path: string, message: string): void {
    if (this.#warnedPaths.get(path) === message) return
    this.#warnedPaths.set(path, message)
    this.#ctx.warn(message)
  }

  /** Lag of the files of this input. */
  get states(): Iterable<FileState> {
    return this.#owned
  }
}

/** Globs are matched with forward slashes; relative ones from the working directory. */
function toGlob(pattern: string): string {
  const absolute = pattern.startsWith('/') ? pattern : resolve(pattern).replace(/\\/g, '/')
  return absolute
}
