/**
 * Removes the first `n` elements of `items` in place. The hot queues (pending records, ACK
 * groups, tail checkpoints) keep one array per field for their whole life: V8's optimized code
 * treats a field that was only ever given one value as a constant, and the first time such a
 * field gets a new array (from `slice`, say) every function compiled against it is thrown away
 * and compiled again, mid-run. `splice` moves the elements down natively and keeps the array
 * (and its elements kind).
 */
export function dropFront<T>(items: T[], n: number): void {
  items.splice(0, n)
}
