import { dropFront } from './drop-front.js'

/**
 * A first-in first-out queue over one array: `shift` moves a head index instead of moving
 * elements, and the consumed front is cut off once it is most of the array (amortised O(1),
 * no per-element allocation), in place (see dropFront). `at(i)` reads the i-th element from the front without taking it.
 */
export class Fifo<T> {
  readonly #items: T[] = []
  #head = 0

  get length(): number {
    return this.#items.length - this.#head
  }

  push(item: T): void {
    this.#items.push(item)
  }

  /** The i-th element from the front (0 = the next `shift`). */
  at(i: number): T | undefined {
    return this.#items[this.#head + i]
  }

  peek(): T | undefined {
    return this.#items[this.#head]
  }

  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined
    const item = this.#items[this.#head]
    this.#items[this.#head++] = undefined as T // let it be collected
    this.#compact()
    return item
  }

  /** Drops the first `n` elements. */
  drop(n: number): void {
    const end = Math.min(this.#head + n, this.#items.length)
    for (let i = this.#head; i < end; i++) this.#items[i] = undefined as T
    this.#head = end
    this.#compact()
  }

  clear(): void {
    this.#items.length = 0
    this.#head = 0
  }

  #compact(): void {
    if (this.#head === this.#items.length) {
      this.#items.length = 0
      this.#head = 0
    } else if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      dropFront(this.#items, this.#head)
      this.#head = 0
    }
  }
}
