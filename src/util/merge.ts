/** An object literal's kind of value: not null, not an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * A new object: `top` laid over `base` — `top` wins; objects present on both sides are
 * merged key by key. Neither argument is changed.
 */
export function overlay(base: Record<string, unknown>, top: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base }
  for (const [k, v] of Object.entries(top)) {
    const b = out[k]
    out[k] = isPlainObject(b) && isPlainObject(v) ? overlay(b, v) : v
  }
  return out
}

/**
 * Adds to `doc`, in place, what `defaults` has and `doc` has not — `doc` wins; objects on
 * both sides are filled key by key. What is taken from `defaults` is copied.
 */
export function fillMissing(doc: Record<string, unknown>, defaults: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(defaults)) {
    const own = doc[k]
    if (own === undefined) doc[k] = structuredClone(v)
    else if (isPlainObject(own) && isPlainObject(v)) fillMissing(own, v)
  }
  return doc
}
