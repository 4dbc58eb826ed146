import { severityOf, type Severity } from './severity.js'
import { unixNanosOf } from './time.js'

/** A JSON value of an event, as OTLP's AnyValue will carry it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** One attribute: a flattened key (`http.request.method`) and its value (never a plain object). */
export type Attribute = readonly [key: string, value: Json]

/** One event, mapped to the fields of an OTLP LogRecord. */
export interface LogModel {
  readonly timeUnixNano: bigint
  readonly severity: Severity | undefined
  /** `message` (or pino's `msg`): usually a string. */
  readonly body: Json | undefined
  readonly attributes: Attribute[]
  /** Attributes of the Resource this event belongs to (from `resourceKeys`). */
  readonly resource: Attribute[]
  readonly traceId: Uint8Array | undefined
  readonly spanId: Uint8Array | undefined
  readonly flags: number
  readonly eventName: string | undefined
}

/** The record keys each LogRecord field is taken from, first found wins (the one-scan encoder uses the same lists). */
export const TIME_KEYS = ['@timestamp', 'time', 'timestamp']
export const LEVEL_KEYS = ['level', 'log.level', 'severity']
export const BODY_KEYS = ['message', 'msg']
export const TRACE_KEYS = ['trace_id', 'traceId', 'trace.id']
export const SPAN_KEYS = ['span_id', 'spanId', 'span.id']
export const FLAG_KEYS = ['trace_flags', 'traceFlags']

/**
 * Maps one event (a parsed record) to a LogRecord: the time from `@timestamp`/`time`, the
 * severity from `level`/`log.level`/`severity`, the body from `message`/`msg`, trace and span
 * ids (hex) from `trace_id`/`span_id` (or `traceId`, `trace.id`), the event's top-level keys
 * listed in `resourceKeys` into the Resource, and every other field into attributes, nested
 * objects flattened to dotted keys (`{ http: { method } }` → `http.method`). The fields used
 * for a LogRecord field are not repeated as attributes.
 */
export function logModelOf(event: Record<string, Json>, resourceKeys: ReadonlySet<string>): LogModel {
  // Maps: a key written twice (`a.b` and `{ a: { b } }`) is sent once (OTLP wants unique keys), the last one wins
  const flat = new Map<string, Json>()
  const resource = new Map<string, Json>()
  for (const key of Object.keys(event)) {
    const value = event[key]!
    const top = key.split('.', 1)[0]!
    flatten(key, value, resourceKeys.has(top) ? resource : flat)
  }
  const taken = new Set<string>()
  const pick = (keys: readonly string[]): Json | undefined => {
    for (const key of keys) {
      if (flat.has(key)) {
        taken.add(key)
        return flat.get(key)
      }
    }
    return undefined
  }
  let time = 0n
  for (const key of TIME_KEYS) {
    if (!flat.has(key)) continue
    time = unixNanosOf(flat.get(key))
    if (time !== 0n) {
      taken.add(key)
      break
    }
  }
  const severity = severityOf(pick(LEVEL_KEYS))
  const body = pick(BODY_KEYS)
  const traceId = idBytes(flat, TRACE_KEYS, 16, taken)
  const spanId = idBytes(flat, SPAN_KEYS, 8, taken)
  const flagValue = pick(FLAG_KEYS)
  const flags = typeof flagValue === 'number' && Number.isInteger(flagValue) ? flagValue & 0xff : 0
  const eventNameValue = flat.get('event.name')
  const eventName = typeof eventNameValue === 'string' ? eventNameValue : undefined
  if (eventName !== undefined) taken.add('event.name')
  return {
    timeUnixNano: time,
    severity,
    body,
    attributes: [...flat].filter(([k]) => !taken.has(k)),
    resource: [...resource],
    traceId,
    spanId,
    flags,
    eventName,
  }
}

function flatten(key: string, value: Json, into: Map<string, Json>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value)
    // an empty object stays an (empty) kvlist, so the key is not lost
    if (keys.length === 0) into.set(key, value)
    for (const k of keys) flatten(`${key}.${k}`, value[k]!, into)
    return
  }
  into.set(key, value)
}

/** A hex id of `bytes` bytes (not all zero) from the first of `keys` that holds one. */
function idBytes(flat: Map<string, Json>, keys: readonly string[], bytes: number, taken: Set<string>): Uint8Array | undefined {
  for (const key of keys) {
    const value = flat.get(key)
    if (typeof value !== 'string' || value.length !== bytes * 2 || !/^[0-9a-f]+$/i.test(value) || /^0+$/.test(value)) continue
    taken.add(key)
    return Buffer.from(value, 'hex')
  }
  return undefined
}

/** A record is one JSON object text (the engine checked it); anything else travels as the body. */
export function parseRecord(record: Uint8Array): Record<string, Json> {
  const text = Buffer.from(record.buffer, record.byteOffset, record.byteLength).toString('utf8')
  try {
    const value = JSON.parse(text) as Json
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value
  } catch {
    // fall through
  }
  return { message: text }
}
