import protobuf from 'protobufjs/minimal.js'
import type { Json, LogModel } from './log-model.js'
import type { ResourceGroup } from './group.js'

type Writer = protobuf.Writer

/**
 * An `ExportLogsServiceRequest` in protobuf, written field by field with protobufjs's Writer
 * (no intermediate message objects). Field numbers and wire types are those of the official
 * definitions in ./proto (opentelemetry-proto v1.9.0); the tests decode the output with them.
 */

// wire types
const VARINT = 0
const I64 = 1
const LEN = 2
const I32 = 5
const tag = (field: number, wire: number): number => (field << 3) | wire

export interface Scope {
  readonly name: string
  readonly version: string
}

export function encodeExportRequest(groups: readonly ResourceGroup[], scope: Scope, observedNanos: bigint): Uint8Array {
  const w = protobuf.Writer.create()
  for (const group of groups) {
    w.uint32(tag(1, LEN)).fork() // ExportLogsServiceRequest.resource_logs
    w.uint32(tag(1, LEN)).fork() // ResourceLogs.resource
    for (const [key, value] of group.resource) keyValue(w, 1, key, value) // Resource.attributes
    w.ldelim()
    w.uint32(tag(2, LEN)).fork() // ResourceLogs.scope_logs
    w.uint32(tag(1, LEN)).fork() // ScopeLogs.scope
    w.uint32(tag(1, LEN)).string(scope.name)
    w.uint32(tag(2, LEN)).string(scope.version)
    w.ldelim()
    for (const log of group.logs) logRecord(w, log, observedNanos) // ScopeLogs.log_records
    w.ldelim()
    w.ldelim()
  }
  return w.finish()
}

function logRecord(w: Writer, log: LogModel, observedNanos: bigint): void {
  w.uint32(tag(2, LEN)).fork()
  if (log.timeUnixNano !== 0n) fixed64(w.uint32(tag(1, I64)), log.timeUnixNano)
  if (log.severity && log.severity.number !== 0) w.uint32(tag(2, VARINT)).uint32(log.severity.number)
  if (log.severity && log.severity.text !== '') w.uint32(tag(3, LEN)).string(log.severity.text)
  if (log.body !== undefined) anyValue(w.uint32(tag(5, LEN)).fork(), log.body).ldelim()
  for (const [key, value] of log.attributes) keyValue(w, 6, key, value)
  if (log.flags !== 0) w.uint32(tag(8, I32)).fixed32(log.flags)
  if (log.traceId) w.uint32(tag(9, LEN)).bytes(log.traceId)
  if (log.spanId) w.uint32(tag(10, LEN)).bytes(log.spanId)
  fixed64(w.uint32(tag(11, I64)), observedNanos)
  if (log.eventName !== undefined && log.eventName !== '') w.uint32(tag(12, LEN)).string(log.eventName)
  w.ldelim()
}

/** A KeyValue as field `field` of the enclosing message. */
function keyValue(w: Writer, field: number, key: string, value: Json): void {
  w.uint32(tag(field, LEN)).fork()
  w.uint32(tag(1, LEN)).string(key)
  anyValue(w.uint32(tag(2, LEN)).fork(), value).ldelim()
  w.ldelim()
}

/** The fields of an AnyValue (the caller forked it). null is the empty AnyValue. */
function anyValue(w: Writer, value: Json): Writer {
  if (value === null) return w
  switch (typeof value) {
    case 'string':
      return w.uint32(tag(1, LEN)).string(value)
    case 'boolean':
      return w.uint32(tag(2, VARINT)).bool(value)
    case 'number':
      return Number.isSafeInteger(value) ? w.uint32(tag(3, VARINT)).int64(value) : w.uint32(tag(4, I64)).double(value)
  }
  if (Array.isArray(value)) {
    w.uint32(tag(5, LEN)).fork() // ArrayValue
    for (const item of value) anyValue(w.uint32(tag(1, LEN)).fork(), item).ldelim()
    return w.ldelim()
  }
  w.uint32(tag(6, LEN)).fork() // KeyValueList
  for (const key of Object.keys(value)) keyValue(w, 1, key, value[key]!)
  return w.ldelim()
}

/** fixed64 is little-endian: low 32 bits first. */
function fixed64(w: Writer, value: bigint): void {
  w.fixed32(Number(value & 0xffffffffn)).fixed32(Number((value >> 32n) & 0xffffffffn))
}
