/**
 * The first value of a field that later holds `Date.now()` times: 0, written as -0 (equal to 0
 * in every comparison and sum) so that V8 stores it as a double from the start, like every time
 * after it. A field that starts as the small integer 0 changes representation at its first real
 * time (too large for one); V8 then gives the object a new hidden class and throws away the code
 * compiled against the old one, mid-run (`--trace-generalization`, `--trace-deopt`: "wrong map").
 */
export const TIME_ZERO = -0
