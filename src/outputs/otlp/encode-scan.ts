import { isUtf8 } from 'node:buffer'
import { logModelOf, parseRecord, type Attribute, TIME_KEYS, LEVEL_KEYS, BODY_KEYS, TRACE_KEYS, SPAN_KEYS, FLAG_KEYS } from './log-model.js'
import { mergedResource } from './group.js'
import type { Scope } from './encode-protobuf.js'
import { severityOf } from './severity.js'
import { unixNanosOf } from './time.js'
import { ProtoWriter, VARINT, I64, LEN, I32 } from './proto-writer.js'
import { anyValue, keyValue, numberValue, writeModel } from './model-writer.js'
import { FlatRecord, type Field, STRING, ESCAPED, NUMBER, TRUE, FALSE, NULL, EMPTY_OBJECT } from './record-scan.js'

const HEX_ID = /^[0-9a-f]+$/i
const ZERO_ID = /^0+$/

/** Log records of one Resource: their byte ranges in the records writer, in batch order. */
interface Group {
  readonly resource: readonly Attribute[]
  readonly ranges: number[]
}

/**
 * Encodes a batch of records as one protobuf `ExportLogsServiceRequest`, mapping each
 * record's JSON text straight to its LogRecord in one scan (record-scan.ts): string values
 * without escapes are copied byte for byte, nothing is parsed into objects. The mapping is
 * logModelOf's (log-model.ts), which stays the reference: a record the scan cannot map the
 * same way (see FlatRecord) goes through it, and a property test checks both give the same
 * LogRecords. The writers are reused batch after batch; `encode` returns a copy.
 */
export class ScanEncoder {
  readonly #records = new ProtoWriter()
  readonly #out = new ProtoWriter()
  readonly #flat: FlatRecord
  readonly #observed = Buffer.alloc(8)
  readonly #time: Field[]
  readonly #level: Field[]
  readonly #body: Field[]
  readonly #trace: Field[]
  readonly #span: Field[]
  readonly #flags: Field[]
  readonly #eventName: Field

  constructor(
    private readonly scope: Scope,
    private readonly resourceKeys: ReadonlySet<string>,
    private readonly fixedResource: readonly Attribute[],
    private readonly defaultResource: readonly Attribute[],
  ) {
    const flat = (this.#flat = new FlatRecord(resourceKeys))
    const fields = (keys: readonly string[]) => keys.map((key) => flat.field(key))
    this.#time = fields(TIME_KEYS)
    this.#level = fields(LEVEL_KEYS)
    this.#body = fields(BODY_KEYS)
    this.#trace = fields(TRACE_KEYS)
    this.#span = fields(SPAN_KEYS)
    this.#flags = fields(FLAG_KEYS)
    this.#eventName = flat.field('event.name')
  }

  encode(records: readonly Uint8Array[], observedNanos: bigint): Uint8Array {
    const w = this.#records
    w.reset()
    this.#observed.writeBigUInt64LE(BigInt.asUintN(64, observedNanos))
    const groups = new Map<string, Group>()
    for (const record of records) {
      const start = w.pos
      const resource = this.#logRecord(asBuffer(record))
      const key = resource.length === 0 ? '' : JSON.stringify(resource)
      let group = groups.get(key)
      if (!group) groups.set(key, (group = { resource: mergedResource(resource, this.fixedResource, this.defaultResource), ranges: [] }))
      group.ranges.push(start, w.pos)
    }
    return this.#request(groups)
  }

  #request(groups: Map<string, Group>): Uint8Array {
    const out = this.#out
    const records = this.#records.buf
    out.reset()
    for (const group of groups.values()) {
      out.tag(1, LEN) // ExportLogsServiceRequest.resource_logs
      const resourceLogs = out.begin()
      out.tag(1, LEN) // ResourceLogs.resource
      const resource = out.begin()
      for (const [key, value] of group.resource) keyValue(out, 1, key, value) // Resource.attributes
      out.end(resource)
      out.tag(2, LEN) // ResourceLogs.scope_logs
      const scopeLogs = out.begin()
      out.tag(1, LEN) // ScopeLogs.scope
      const scope = out.begin()
      out.tag(1, LEN)
      out.string(this.scope.name)
      out.tag(2, LEN)
      out.string(this.scope.version)
      out.end(scope)
      const { ranges } = group
      for (let i = 0; i < ranges.length; i += 2) {
        const from = ranges[i]!
        const to = ranges[i + 1]!
        out.ensure(to - from)
        out.pos += records.copy(out.buf, out.pos, from, to)
      }
      out.end(scopeLogs)
      out.end(resourceLogs)
    }
    return out.copy()
  }

  /** Writes one record's LogRecord (ScopeLogs.log_records, field 2); returns the event's own Resource attributes. */
  #logRecord(record: Buffer): Attribute[] {
    const flat = this.#flat
    if (!isUtf8(record) || !flat.scan(record)) {
      const model = logModelOf(parseRecord(record), this.resourceKeys)
      writeModel(this.#records, model, this.#observed)
      return model.resource
    }
    let time = 0n
    for (const field of this.#time) {
      const i = flat.indexOf(field)
      if (i < 0) continue
      time = unixNanosOf(flat.valueOf(i))
      if (time !== 0n) {
        flat.taken[i] = 1
        break
      }
    }
    const level = firstPresent(flat, this.#level)
    const severity = level < 0 ? undefined : severityOf(flat.valueOf(level))
    const body = firstPresent(flat, this.#body)
    const traceId = hexId(flat, this.#trace, 16)
    const spanId = hexId(flat, this.#span, 8)
    const flagField = firstPresent(flat, this.#flags)
    const flagValue = flagField < 0 ? undefined : flat.valueOf(flagField)
    const flags = typeof flagValue === 'number' && Number.isInteger(flagValue) ? flagValue & 0xff : 0
    const eventNameField = flat.indexOf(this.#eventName)
    const eventNameValue = eventNameField < 0 ? undefined : flat.valueOf(eventNameField)
    const eventName = typeof eventNameValue === 'string' ? eventNameValue : undefined
    if (eventName !== undefined) flat.taken[eventNameField] = 1

    const w = this.#records
    w.tag(2, LEN)
    const start = w.begin()
    if (time !== 0n) {
      w.tag(1, I64)
      w.fixed64(time)
    }
    if (severity && severity.number !== 0) {
      w.tag(2, VARINT)
      w.varint32(severity.number)
    }
    if (severity && severity.text !== '') {
      w.tag(3, LEN)
      w.string(severity.text)
    }
    if (body >= 0) {
      w.tag(5, LEN)
      const value = w.begin()
      fieldValue(w, flat, body)
      w.end(value)
    }
    for (let i = 0; i < flat.count; i++) {
      const key = flat.keys[i]!
      if (flat.taken[i] === 1 || key.resource) continue
      w.tag(6, LEN)
      const kv = w.begin()
      w.tag(1, LEN)
      w.rawBytes(key.pathBytes, 0, key.pathBytes.length)
      w.tag(2, LEN)
      const value = w.begin()
      fieldValue(w, flat, i)
      w.end(value)
      w.end(kv)
    }
    if (flags !== 0) {
      w.tag(8, I32)
      w.fixed32(flags)
    }
    if (traceId !== undefined) idBytes(w, 9, traceId)
    if (spanId !== undefined) idBytes(w, 10, spanId)
    w.tag(11, I64)
    w.ensure(8)
    w.pos += this.#observed.copy(w.buf, w.pos)
    if (eventName !== undefined && eventName !== '') {
      w.tag(12, LEN)
      w.string(eventName)
    }
    w.end(start)
    if (!flat.hasResource) return []
    const resource: Attribute[] = []
    for (let i = 0; i < flat.count; i++) if (flat.keys[i]!.resource) resource.push([flat.keys[i]!.path, flat.valueOf(i)])
    return resource
  }
}

/** The first of `keys` the record has (marked taken), or -1. */
function firstPresent(flat: FlatRecord, keys: readonly Field[]): number {
  for (const key of keys) {
    const i = flat.indexOf(key)
    if (i >= 0) {
      flat.taken[i] = 1
      return i
    }
  }
  return -1
}

/** The first of `keys` holding a hex id of `bytes` bytes, not all zero (marked taken). */
function hexId(flat: FlatRecord, keys: readonly Field[], bytes: number): string | undefined {
  for (const key of keys) {
    const i = flat.indexOf(key)
    if (i < 0 || (flat.kinds[i] !== STRING && flat.kinds[i] !== ESCAPED)) continue
    const text = flat.valueOf(i) as string
    if (text.length !== bytes * 2 || !HEX_ID.test(text) || ZERO_ID.test(text)) continue
    flat.taken[i] = 1
    return text
  }
  return undefined
}

function idBytes(w: ProtoWriter, field: number, hex: string): void {
  w.tag(field, LEN)
  w.varint32(hex.length / 2)
  w.ensure(hex.length / 2)
  w.pos += w.buf.write(hex, w.pos, 'hex')
}

/** The fields of field `i`'s AnyValue (the caller opened it). */
function fieldValue(w: ProtoWriter, flat: FlatRecord, i: number): void {
  switch (flat.kinds[i]) {
    case STRING:
      w.tag(1, LEN)
      w.rawBytes(flat.buf, flat.starts[i]!, flat.ends[i]!)
      return
    case ESCAPED:
      w.tag(1, LEN)
      w.string(flat.values[i] as string)
      return
    case NUMBER:
      numberValue(w, flat.numbers[i]!)
      return
    case TRUE:
    case FALSE:
      w.tag(2, VARINT)
      w.varint32(flat.kinds[i] === TRUE ? 1 : 0)
      return
    case NULL:
      return
    case EMPTY_OBJECT:
      w.tag(6, LEN)
      w.varint32(0)
      return
    default:
      anyValue(w, flat.values[i]!)
  }
}

function asBuffer(record: Uint8Array): Buffer {
  return Buffer.isBuffer(record) ? record : Buffer.from(record.buffer, record.byteOffset, record.byteLength)
}
