import { fstat, type Stats } from 'node:fs'
import { FINGERPRINT_BYTES, type FileReader, type FileState } from './file-state.js'
import { readAt, openForRead, closeFd, fingerprintFd, hashBytes } from './fingerprint.js'
import { EntryPipeline } from './entry-pipeline.js'
import type { FileInputConfig } from '../config/schema.js'
import type { DocumentBuilder } from './document.js'
import type { Feeder } from './feeder.js'
import type { Registry } from './registry.js'
import type { TailCounters } from './stats.js'
import { describeError } from '../errors.js'
import { isOutOfHandles, type HandleBudget } from './handle-budget.js'
import type { OwnFiles } from './own-files.js'
import { TIME_ZERO } from '../util/time-zero.js'

const CHUNK_BYTES = 256 * 1024
const MIN_BACKOFF_MS = 25
const MAX_BACKOFF_MS = 1000
/** While other files wait for a descriptor, a harvester reads for this long, then hands its slot on. */
const SLICE_MS = 100

export interface HarvestContext {
  readonly input: FileInputConfig
  readonly feeder: Feeder
  readonly registry: Registry
  readonly counters: TailCounters
  /** --once: read to the end, ship the last line even without a line end, stop. */
  readonly once: boolean
  /** Largest record the shipper's queue takes. */
  readonly maxRecordBytes: number
  /** Give each entry a stable id from its file's content and its offset (idempotent Elasticsearch output). */
  readonly documentIds: boolean
  /** Open files of all inputs together (descriptors are a budget). */
  readonly budget: HandleBudget
  newBuilder(): DocumentBuilder
  /** logship's own files (output, dead letters, registry, spill): never read. */
  readonly ownFiles?: OwnFiles | undefined
  warn(message: string): void
  info(message: string): void
}

function fstatAsync(fd: number): Promise<Stats> {
  return new Promise((resolve, reject) => fstat(fd, (err, st) => (err ? reject(err) : resolve(st))))
}

/**
 * Reads one file from its read pointer: chunks → entries → records, pausing while the
 * shipper's queue is full (the file is the buffer). Follows the file through renames (it
 * keeps its descriptor), notices truncation (size below the pointer, or a different head)
 * and starts again from 0, reads a deleted file to its end, and closes after
 * `closeInactiveMs` without growth. The scanner starts it again when the file grows.
 */
export class Harvester implements FileReader {
  #state: FileState
  readonly #ctx: HarvestContext
  #fd = -1
  #position = 0
  #pipeline: EntryPipeline | undefined
  #stopping = false
  #checkRequested = false
  #wake: (() => void) | undefined
  /** Resolves on stop(): a harvester waiting for room in a full queue must still stop. */
  readonly #stopSignal: Promise<void>
  #resolveStop!: () => void
  #lastGrowth = Date.now()
  #deletedAt = 0
  #openedAt = TIME_ZERO
  /** It stopped with more to read (its slice was over, or no descriptor was free): the input queues it again. */
  unfinished = false

  constructor(state: FileState, ctx: HarvestContext) {
    this.#state = state
    this.#ctx = ctx
    this.#stopSignal = new Promise((resolve) => (this.#resolveStop = resolve))
  }

  get state(): FileState {
    return this.#state
  }

  /** Stop after the chunk in hand (shutdown, SIGHUP). */
  stop(): void {
    this.#stopping = true
    this.#resolveStop()
    this.#wake?.()
  }

  /** The scanner saw the file grow: read now instead of waiting out the backoff. */
  poke(): void {
    this.#wake?.()
  }

  /** Check size and head for truncation before the next read (asked once per scan). */
  requestCheck(): void {
    this.#checkRequested = true
  }

  /** The scanner found the file under another path. */
  renamed(path: string): void {
    this.#pipeline?.builder.setPath(path)
  }

  async run(): Promise<void> {
    const registry = this.#ctx.registry
    registry.active.add(this.#state)
    this.#ctx.counters.harvestersStarted++
    try {
      if (!(await this.#open())) return
      await this.#readLoop()
    } catch (err) {
      if (isOutOfHandles(err)) {
        // Not fatal: hold fewer files open and let this one wait its turn.
        const open = this.#ctx.budget.open
        const limit = this.#ctx.budget.exhausted()
        this.unfinished = true
        this.#ctx.counters.handleShortages++
        if (this.#ctx.counters.handleShortages === 1 || this.#ctx.counters.handleShortages % 1000 === 0) {
          this.#ctx.warn(
            `out of file descriptors (${(err as NodeJS.ErrnoException).code}) with ${open} files open: holding at most ${limit} files open at once from now on; files take turns. Raise the limit (systemd: LimitNOFILE=65536; shell: ulimit -n) or set harvesterLimit`,
          )
        }
        return
      }
      this.#ctx.counters.openErrors++
      this.#ctx.warn(`stopped reading ${this.#state.path}: ${describeError(err)}; it is retried at the next scan`)
    } finally {
      if (this.#fd >= 0) await closeFd(this.#fd)
      this.#fd = -1
      registry.active.delete(this.#state)
      this.#state.harvester = undefined
      this.#ctx.counters.harvestersClosed++
    }
  }

  /** Opens the file and checks it is still the content the state describes. */
  async #open(): Promise<boolean> {
    const state = this.#state
    this.#fd = await openForRead(state.path)
    this.#openedAt = Date.now()
    const st = await fstatAsync(this.#fd)
    if (st.dev !== state.dev || st.ino !== state.ino) return false // replaced between the scan and the open: the next scan sees it
    state.size = st.size
    if (state.readOffset > 0 || state.fpLen > 0) {
      const head = state.fpLen > 0 && st.size >= state.fpLen ? await fingerprintFd(this.#fd, st.size, state.fpLen) : undefined
      if (st.size < state.readOffset || (state.fpLen > 0 && head?.hash !== state.fpHash)) await this.#restart(st.size, 'its content was replaced or truncated while it was closed')
      else if (head && !state.head) state.head = head.head
    }
    this.#position = this.#state.readOffset
    const builder = this.#ctx.newBuilder()
    builder.setPath(this.#state.path)
    const idOf = this.#ctx.documentIds ? (offset: number, end: number) => this.#entryId(offset, end) : undefined
    this.#pipeline = new EntryPipeline(this.#ctx.input, builder, this.#ctx.feeder, this.#ctx.counters, this.#ctx.maxRecordBytes, this.#position, idOf)
    return true
  }

  async #readLoop(): Promise<void> {
    const { feeder, counters, input, once } = this.#ctx
    const pipeline = this.#pipeline!
    let backoff = MIN_BACKOFF_MS
    let idle = false
    while (!this.#stopping) {
      if (feeder.backlogged) {
        await Promise.race([feeder.drained(), this.#stopSignal])
        idle = true
      }
      if (this.#stopping) break
      // After a pause (end of file, a full queue) the file may have been truncated and written
      // past the read position again: compare its head before reading on from there.
      if ((this.#checkRequested || idle) && !once) {
        const full = this.#checkRequested
        this.#checkRequested = false
        idle = false
        await this.#checkTruncation(!full)
      }
      const { buffer, at } = pipeline.readTarget(CHUNK_BYTES)
      const n = await readAt(this.#fd, buffer.subarray(at), CHUNK_BYTES, this.#position)
      const now = Date.now()
      if (n > 0) {
        // Between two reads without a pause the file may have been truncated and written again
        // past the read position (copytruncate): those bytes are not the rest of this content,
        // and the rest is in the copy. So check the head after every read: another head, and
        // what was just read is dropped and the file read again from 0, its old read pointer
        // left for the copy. (This also makes the head cover what was read, up to 1 KiB: entry ids are made from it.)
        if (!(await this.#stillSameHead(this.#position + n))) {
          await this.#restart((await fstatAsync(this.#fd)).size, 'its head changed (truncated and written again)')
          continue
        }
        this.#position += n
        if (this.#position > this.#state.size) this.#state.size = this.#position
        counters.bytesRead += n
        pipeline.commit(n, now)
        this.#checkpoint()
        this.#lastGrowth = now
        this.#deletedAt = 0
        backoff = MIN_BACKOFF_MS
        if (this.#ctx.budget.waiting > 0 && now - this.#openedAt >= SLICE_MS) {
          // Other files wait for a descriptor: hand this one on, come back at the end of the queue.
          this.unfinished = true
          return
        }
        continue
      }
      // End of the file for now.
      if (once) {
        pipeline.flushAll(now)
        this.#checkpoint()
        await this.#extendFingerprint(this.#position)
        return
      }
      pipeline.flushIdle(now)
      this.#checkpoint()
      idle = true
      const st = await fstatAsync(this.#fd)
      this.#state.size = st.size
      if (st.size < this.#position) {
        await this.#restart(st.size, 'it was truncated')
        continue
      }
      if (st.size > this.#position) continue
      if (st.nlink === 0) {
        // Deleted: a writer may still hold it open for a moment; then ship the last line and let go.
        this.#deletedAt ||= now
        if (now - this.#deletedAt >= Math.min(input.closeInactiveMs, Math.max(input.scanIntervalMs, 1000))) {
          pipeline.flushAll(now)
          this.#checkpoint()
          this.#ctx.info(`finished ${this.#state.path} (deleted)`)
          return
        }
      }
      if (now - this.#lastGrowth >= input.closeInactiveMs) return
      // Caught up while other files wait for a descriptor: let go now (the next scan sees it grow).
      if (this.#ctx.budget.waiting > 0) return
      await this.#sleep(backoff)
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)
    }
  }

  /**
   * The id of the entry at [offset, end): the same wherever and whenever the same bytes are
   * read (after a restart, in a rotated copy, in a renamed file). A file is identified by its
   * first KiB (for an entry inside it, by the bytes up to the entry's end), the entry by its offset.
   */
  #entryId(offset: number, end: number): string {
    const state = this.#state
    if (end >= FINGERPRINT_BYTES && state.fpLen === FINGERPRINT_BYTES) return `${state.fpHash}-${offset}`
    const head = state.head
    const upTo = Math.min(end, FINGERPRINT_BYTES)
    if (head && head.length >= upTo) return `${hashBytes(head.subarray(0, upTo))}-${offset}`
    return `${state.fpHash}-${offset}`
  }

  #checkpoint(): void {
    const offset = this.#pipeline!.safeOffset
    this.#state.readOffset = offset
    this.#ctx.feeder.checkpoint(this.#state, offset)
  }

  /** Size below the read position, or a head that is not the one we know: the content is new. */
  async #checkTruncation(onlyIfGrown = false): Promise<void> {
    const st = await fstatAsync(this.#fd)
    this.#state.size = st.size
    if (st.size < this.#position) return this.#restart(st.size, 'it was truncated')
    if (onlyIfGrown && st.size === this.#position) return
    const state = this.#state
    if (state.fpLen === 0 && st.size === 0) return
    const len = Math.min(st.size, FINGERPRINT_BYTES)
    if (len < state.fpLen) return this.#restart(st.size, 'it was truncated')
    const head = await fingerprintFd(this.#fd, st.size, state.fpLen)
    if (state.fpLen > 0 && head.hash !== state.fpHash) return this.#restart(st.size, 'its head changed (truncated and written again)')
    await this.#extendFingerprint(st.size)
  }

  /**
   * Whether the file still starts with the head this state knows, after a read up to `end`;
   * if so, the head is extended to cover up to `end` (at most 1 KiB).
   */
  async #stillSameHead(end: number): Promise<boolean> {
    const state = this.#state
    const len = Math.max(state.fpLen, Math.min(end, FINGERPRINT_BYTES))
    const now = await fingerprintFd(this.#fd, len, len)
    if (now.len < state.fpLen) return false
    if (state.fpLen > 0) {
      const known = now.head.subarray(0, state.fpLen)
      if (state.head ? !state.head.subarray(0, state.fpLen).equals(known) : (now.len === state.fpLen ? now.hash : hashBytes(known)) !== state.fpHash) return false
    }
    if (now.len > state.fpLen || !state.head) {
      state.fpLen = now.len
      state.fpHash = now.hash
      state.head = now.head
      state.invalidateLine()
    }
    return true
  }

  /** The file has grown past the head it had when first seen: remember the longer head. */
  async #extendFingerprint(size: number): Promise<void> {
    const state = this.#state
    const len = Math.min(size, FINGERPRINT_BYTES)
    if (len <= state.fpLen) return
    const longer = await fingerprintFd(this.#fd, size, len)
    state.fpLen = longer.len
    state.fpHash = longer.hash
    state.head = longer.head
    state.invalidateLine()
  }

  /** Reads the content from 0 as a new state; the old one may be adopted by a copy (copytruncate). */
  async #restart(size: number, why: string): Promise<void> {
    const head = await fingerprintFd(this.#fd, size)
    const old = this.#state
    const fresh = this.#ctx.registry.replace(old, { fpLen: head.len, fpHash: head.hash, head: head.head, size })
    fresh.harvester = this
    old.harvester = undefined
    this.#state = fresh
    this.#ctx.registry.active.add(fresh)
    this.#position = 0
    this.#pipeline?.reset(0)
    this.#ctx.counters.truncations++
    this.#ctx.info(`reading ${fresh.path} again from the start: ${why}`)
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done(): void {
        clearTimeout(timer)
        resolve()
      }
      this.#wake = () => {
        this.#wake = undefined
        done()
      }
    })
  }
}
