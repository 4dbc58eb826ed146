/**
 * The hot queues (pending records, ACK groups, tail checkpoints) keep one array per field for
 * their whole life, with a logical head and tail over it. V8's optimized code treats a field
 * that was only ever given one value as a constant, and the first time such a field gets a new
 * array (from `slice`, say) every function compiled against it is thrown away and compiled
 * again, mid-run.
 *
 * Number fields are typed arrays (grown by doubling, see `grown`), object fields JS arrays
 * (`putAt`, `moveToFront`): a JS array of numbers handled by the same helper as arrays of
 * objects gets turned into a generic array by V8's optimized helper, which throws away the
 * code compiled against it too.
 */

/**
 * Moves `items[from..end)` to the front of `items`, in place. Unlike `splice`, this leaves the
 * array its length (what was at `[end - from, end)` stays there: clear it if it holds objects):
 * for a queue that refills, that is the point. V8 shrinks an array's backing store once its
 * length falls below half its capacity, and refilling it then allocates a fresh one as it
 * grows, page-faulting every new page (~120 faults per refill of a 90k-element array, 1.7 ms
 * against 0.09 ms in place, on the project's machine).
 */
export function moveToFront<T>(items: T[], from: number, end: number): void {
  for (let i = from; i < end; i++) items[i - from] = items[i]!
}

/** `items[at] = value`, growing the array by one when `at` is its end (a queue's logical end never passes it). */
export function putAt<T>(items: T[], at: number, value: T): void {
  if (at === items.length) items.push(value)
  else items[at] = value
}

/** A copy of `column` with room for `size` entries (a queue's typed column that outgrew its room). */
export function grown<T extends Int32Array | Uint8Array | Float64Array>(column: T, size: number): T {
  const larger = new (column.constructor as new (length: number) => T)(size)
  larger.set(column)
  return larger
}
