import { ProcessorFailure, type ProcessorEvent } from './types.js'

/**
 * Field access by dotted name (`http.response.status_code`), as Filebeat does: a dot walks into
 * a nested object. A key that itself contains dots (`{"a.b": 1}`) is found too, when no nested
 * path matches. Names are split once, when the processor is compiled.
 */
export type FieldPath = readonly string[]

export function fieldPath(name: string): FieldPath {
  return name.split('.')
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The value at `path`, undefined when there is none. */
export function getField(event: ProcessorEvent, path: FieldPath): unknown {
  let at: unknown = event
  for (let i = 0; i < path.length; i++) {
    if (!isObject(at)) return path.length > 1 ? literal(event, path) : undefined
    at = at[path[i]!]
  }
  return at === undefined && path.length > 1 ? literal(event, path) : at
}

function literal(event: ProcessorEvent, path: FieldPath): unknown {
  return event[path.join('.')]
}

export function hasField(event: ProcessorEvent, path: FieldPath): boolean {
  return getField(event, path) !== undefined
}

/** Sets `value` at `path`, making the objects on the way. Fails when a value on the way is not an object. */
export function setField(event: ProcessorEvent, path: FieldPath, value: unknown): void {
  let at: Record<string, unknown> = event
  const last = path.length - 1
  for (let i = 0; i < last; i++) {
    const key = path[i]!
    const next = at[key]
    if (next === undefined) {
      const made: Record<string, unknown> = {}
      at[key] = made
      at = made
    } else if (isObject(next)) {
      at = next
    } else {
      throw new ProcessorFailure(`cannot set ${path.join('.')}: ${path.slice(0, i + 1).join('.')} is not an object`)
    }
  }
  at[path[last]!] = value
}

/** Removes the value at `path`; false when there was none. Objects left empty stay (as in Filebeat). */
export function deleteField(event: ProcessorEvent, path: FieldPath): boolean {
  let at: unknown = event
  const last = path.length - 1
  for (let i = 0; i < last; i++) {
    if (!isObject(at)) break
    at = at[path[i]!]
  }
  if (isObject(at) && Object.hasOwn(at, path[last]!)) {
    delete at[path[last]!]
    return true
  }
  const flat = path.join('.')
  if (path.length > 1 && Object.hasOwn(event, flat)) {
    delete event[flat]
    return true
  }
  return false
}

/** A deep copy of JSON-like data (what events hold). */
export function cloneValue(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) return value.map(cloneValue)
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value)) out[key] = cloneValue((value as Record<string, unknown>)[key])
  return out
}

/** `src` merged into `dst` (copies; objects on both sides merged key by key, `src` wins otherwise). */
export function mergeInto(dst: Record<string, unknown>, src: Record<string, unknown>): void {
  for (const key of Object.keys(src)) {
    const value = src[key]
    const own = dst[key]
    if (isObject(value) && isObject(own)) mergeInto(own, value)
    else dst[key] = cloneValue(value)
  }
}
