import { moveToFront, putAt } from './queue-arrays.js'

/**
 * A first-in first-out queue over one array: `shift` moves a head index instead of moving
 * elements, and once the consumed front is most of the array what is left moves to the front
 * (amortised O(1), no per-element allocation). The array never shrinks: the queue's logical
 * end is `#tail`, so a queue that empties and refills reuses its storage (see moveToFront).
 * `at(i)` reads the i-th element from the front without taking it.
 */
export class Fifo<T> {
  readonly #items: (T | undefined)[] = []
  #head = 0
  #tail = 0

  get length(): number {
    return this.#tail - this.#head
  }

  push(item: T): void {
    putAt(this.#items, this.#tail++, item)
  }

  /** The i-th element from the front (0 = the next `shift`). */
  at(i: number): T | undefined {
    return i >= 0 && i < this.length ? this.#items[this.#head + i] : undefined
  }

  peek(): T | undefined {
    return this.at(0)
  }

  shift(): T | undefined {
    if (this.#head === this.#tail) return undefined
    const item = this.#items[this.#head]
    this.#items[this.#head++] = undefined // let it be collected
    this.#compact()
    return item
  }

  /** Drops the first `n` elements. */
  drop(n: number): void {
    const end = Math.min(this.#head + n, this.#tail)
    this.#items.fill(undefined, this.#head, end)
    this.#head = end
    this.#compact()
  }

  clear(): void {
    this.#items.fill(undefined, this.#head, this.#tail)
    this.#head = this.#tail = 0
  }

  #compact(): void {
    if (this.#head === this.#tail) {
      this.#head = this.#tail = 0
    } else if (this.#head > 1024 && this.#head * 2 > this.#tail) {
      const length = this.length
      moveToFront(this.#items, this.#head, this.#tail)
      this.#items.fill(undefined, length, this.#tail) // the moved elements' old places
      this.#head = 0
      this.#tail = length
    }
  }
}
