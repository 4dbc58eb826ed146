/** Buffers smaller than this are not worth keeping: the pool hands out at least this much. */
const MIN_BYTES = 64 * 1024

/**
 * Reusable buffers for the frames of windows. A window of 2048 events is ~700 KiB: a fresh
 * buffer per window costs page faults on memory never touched before and external-memory
 * garbage collections, which made encoding a window 3–5× slower than the copy itself.
 * Sizes are rounded up to a power of two so that windows of similar size share buffers.
 *
 * A buffer must be given back only once nothing reads it any more (written to the socket,
 * or compressed); giving it back twice would hand it to two windows (see `lease`).
 */
export class BufferPool {
  readonly #free: Buffer[] = []
  readonly #maxKept: number
  readonly #maxBytes: number

  /** Keeps up to `maxKept` buffers of at most `maxBytes` each; larger ones are left to the GC. */
  constructor(maxKept: number, maxBytes: number) {
    this.#maxKept = maxKept
    this.#maxBytes = maxBytes
  }

  /** A buffer of at least `size` bytes (its contents are whatever it held before) and the function that gives it back, once. */
  lease(size: number): { readonly buffer: Buffer; readonly giveBack: () => void } {
    const buffer = this.#take(size)
    let given = false
    return {
      buffer,
      giveBack: () => {
        if (given) return
        given = true
        if (buffer.byteLength <= this.#maxBytes && this.#free.length < this.#maxKept) this.#free.push(buffer)
      },
    }
  }

  /** Buffers kept for reuse (for tests). */
  get kept(): number {
    return this.#free.length
  }

  #take(size: number): Buffer {
    let best = -1
    for (let i = 0; i < this.#free.length; i++) {
      const length = this.#free[i]!.byteLength
      if (length >= size && (best === -1 || length < this.#free[best]!.byteLength)) best = i
    }
    if (best >= 0) return this.#free.splice(best, 1)[0]!
    return Buffer.allocUnsafeSlow(Math.max(MIN_BYTES, 2 ** Math.ceil(Math.log2(Math.max(size, 1)))))
  }
}
