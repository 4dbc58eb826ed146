import type { Json, LogModel } from './log-model.js'
import { type ProtoWriter, VARINT, I64, LEN, I32 } from './proto-writer.js'

// LogRecords, KeyValues and AnyValues written from objects with a ProtoWriter: the object path
// of the one-scan encoder (encode-scan.ts), for records the scan leaves to logModelOf.

export function numberValue(w: ProtoWriter, value: number): void {
  if (Number.isSafeInteger(value)) {
    w.tag(3, VARINT)
    w.int64(value)
  } else {
    w.tag(4, I64)
    w.double(value)
  }
}

/** A LogRecord from the reference model (records the scan leaves to the object path). */
export function writeModel(w: ProtoWriter, log: LogModel, observed: Buffer): void {
  w.tag(2, LEN)
  const start = w.begin()
  if (log.timeUnixNano !== 0n) {
    w.tag(1, I64)
    w.fixed64(log.timeUnixNano)
  }
  if (log.severity && log.severity.number !== 0) {
    w.tag(2, VARINT)
    w.varint32(log.severity.number)
  }
  if (log.severity && log.severity.text !== '') {
    w.tag(3, LEN)
    w.string(log.severity.text)
  }
  if (log.body !== undefined) {
    w.tag(5, LEN)
    const value = w.begin()
    anyValue(w, log.body)
    w.end(value)
  }
  for (const [key, value] of log.attributes) keyValue(w, 6, key, value)
  if (log.flags !== 0) {
    w.tag(8, I32)
    w.fixed32(log.flags)
  }
  if (log.traceId) {
    w.tag(9, LEN)
    w.rawBytes(Buffer.from(log.traceId), 0, log.traceId.length)
  }
  if (log.spanId) {
    w.tag(10, LEN)
    w.rawBytes(Buffer.from(log.spanId), 0, log.spanId.length)
  }
  w.tag(11, I64)
  w.ensure(8)
  w.pos += observed.copy(w.buf, w.pos)
  if (log.eventName !== undefined && log.eventName !== '') {
    w.tag(12, LEN)
    w.string(log.eventName)
  }
  w.end(start)
}

/** A KeyValue as field `field` of the enclosing message. */
export function keyValue(w: ProtoWriter, field: number, key: string, value: Json): void {
  w.tag(field, LEN)
  const kv = w.begin()
  w.tag(1, LEN)
  w.string(key)
  w.tag(2, LEN)
  const any = w.begin()
  anyValue(w, value)
  w.end(any)
  w.end(kv)
}

/** The fields of an AnyValue (the caller opened it). null is the empty AnyValue. */
export function anyValue(w: ProtoWriter, value: Json): void {
  if (value === null) return
  switch (typeof value) {
    case 'string':
      w.tag(1, LEN)
      w.string(value)
      return
    case 'boolean':
      w.tag(2, VARINT)
      w.varint32(value ? 1 : 0)
      return
    case 'number':
      numberValue(w, value)
      return
  }
  if (Array.isArray(value)) {
    w.tag(5, LEN) // ArrayValue
    const array = w.begin()
    for (const item of value) {
      w.tag(1, LEN)
      const any = w.begin()
      anyValue(w, item)
      w.end(any)
    }
    w.end(array)
    return
  }
  w.tag(6, LEN) // KeyValueList
  const list = w.begin()
  for (const key of Object.keys(value)) keyValue(w, 1, key, value[key]!)
  w.end(list)
}
