/** Buffers smaller than this are cheap to allocate: the pool hands out at least this much. */
const MIN_BYTES = 64 * 1024

export interface BufferPoolOptions {
  /** Buffers kept for reuse at most (those given back beyond that are left to the GC). */
  readonly keep: number
  /**
   * The largest buffer a steady flow needs (a full batch, say; default 16 MiB). Sizes are
   * rounded up (see roundedSize) to no more than this, and no larger buffer is kept: one huge
   * record must not pin its buffer for the life of the shipper.
   */
  readonly largest?: number
}

const DEFAULT_LARGEST = 16 * 1024 * 1024

/**
 * The few large buffers a steady flow of batches needs (batch arenas, `_bulk` bodies,
 * Lumberjack windows), handed out and given back so that shipping allocates nothing big.
 * A fresh large buffer is memory never touched before: writing it costs a page fault per
 * 4 KiB, which made encoding a window 3–5× slower than the copy itself.
 *
 * When the pool is full, a buffer given back replaces the smallest one kept if it is larger:
 * the small buffers of a slow start (a few events per window) must not hold every place and
 * leave each full-size window to a fresh allocation.
 *
 * Only buffers this pool allocated come back into it: a buffer built elsewhere may be a slice
 * of Node's shared allocation slab, and handing the slab out again would overwrite bytes that
 * other code still owns.
 */
export class BufferPool {
  readonly #free: Buffer[] = []
  readonly #own = new WeakSet<ArrayBufferLike>()
  readonly #keep: number
  readonly #largest: number

  constructor(options: BufferPoolOptions) {
    this.#keep = options.keep
    this.#largest = options.largest ?? DEFAULT_LARGEST
  }

  /** A buffer of at least `size` bytes (its contents are whatever it held before); give it back with `give`. */
  take(size: number): Buffer {
    let best = -1
    for (let i = 0; i < this.#free.length; i++) {
      const length = this.#free[i]!.byteLength
      if (length >= size && (best === -1 || length < this.#free[best]!.byteLength)) best = i
    }
    if (best >= 0) return this.#free.splice(best, 1)[0]!
    const fresh = Buffer.allocUnsafeSlow(Math.max(size, Math.min(roundedSize(size), this.#largest)))
    this.#own.add(fresh.buffer)
    return fresh
  }

  /**
   * Gives back a buffer from `take` (or any view of it) that nothing reads any more; anything
   * else is ignored. The caller gives each buffer back once per `take`: given back twice, it
   * could be handed to two takers (see `lease`).
   */
  give(view: Uint8Array): void {
    const buffer = view.buffer
    if (!this.#own.has(buffer) || buffer.byteLength > this.#largest || this.#keep <= 0) return
    if (this.#free.some((b) => b.buffer === buffer)) return
    const whole = Buffer.from(buffer, 0, buffer.byteLength)
    if (this.#free.length < this.#keep) {
      this.#free.push(whole)
      return
    }
    let smallest = 0
    for (let i = 1; i < this.#free.length; i++) if (this.#free[i]!.byteLength < this.#free[smallest]!.byteLength) smallest = i
    if (this.#free[smallest]!.byteLength < buffer.byteLength) this.#free[smallest] = whole
  }

  /** `take`, with the function that gives the buffer back: once, however often it is called. */
  lease(size: number): { readonly buffer: Buffer; readonly giveBack: () => void } {
    const buffer = this.take(size)
    let given = false
    return {
      buffer,
      giveBack: () => {
        if (given) return
        given = true
        this.give(buffer)
      },
    }
  }

  /** Buffers kept for reuse (for tests). */
  get kept(): number {
    return this.#free.length
  }
}

/**
 * `size` rounded up to the next of 8 steps per power of two (at least MIN_BYTES): requests of
 * about the same size (one window or batch after another) share buffers, and a buffer is at
 * most 12.5% larger than asked (`_bulk` bodies of a few MB each, kept per request in flight).
 */
export function roundedSize(size: number): number {
  if (size <= MIN_BYTES) return MIN_BYTES
  const step = 2 ** (Math.floor(Math.log2(size)) - 3)
  return Math.ceil(size / step) * step
}
