/**
 * A few large buffers handed out and given back, so steady shipping allocates nothing big.
 *
 * Only buffers this pool allocated come back into it. A body built elsewhere may be a slice
 * of Node's shared allocation slab (`Buffer.allocUnsafe`; the slab is 64 KiB on Node 24), and
 * handing that slab out again would overwrite bytes other code still owns.
 */
export class BodyPool {
  readonly #free: Buffer[] = []
  readonly #own = new WeakSet<ArrayBufferLike>()
  readonly #keep: number

  constructor(keep: number) {
    this.#keep = keep
  }

  /** A buffer of at least `size` bytes (reused when one is free); give it back with `release`. */
  readonly take = (size: number): Buffer => {
    const i = this.#free.findIndex((b) => b.byteLength >= size)
    if (i >= 0) return this.#free.splice(i, 1)[0]!
    // a little headroom, so the next, slightly larger batch fits too
    const fresh = Buffer.allocUnsafeSlow(Math.ceil(size * 1.25))
    if (fresh.byteLength >= MIN_POOLED_BYTES) this.#own.add(fresh.buffer)
    return fresh
  }

  /** Gives back a buffer from `take` (or any view of it); anything else is ignored. */
  release(view: Uint8Array): void {
    if (!this.#own.has(view.buffer) || this.#free.length >= this.#keep) return
    if (this.#free.some((b) => b.buffer === view.buffer)) return // released twice: keep one
    this.#free.push(Buffer.from(view.buffer, 0, view.buffer.byteLength))
  }
}

/** Small bodies are cheap to allocate: pooling them would only pin memory. */
const MIN_POOLED_BYTES = 64 * 1024
