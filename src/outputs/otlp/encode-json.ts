import type { Json, LogModel } from './log-model.js'
import type { ResourceGroup } from './group.js'
import type { Scope } from './encode-protobuf.js'

/**
 * An `ExportLogsServiceRequest` in OTLP/JSON: the protobuf JSON mapping with the OTLP
 * exceptions: lowerCamelCase keys, trace and span ids as hex (not base64), enums as numbers,
 * 64-bit integers as decimal strings.
 */
export function encodeExportRequestJson(groups: readonly ResourceGroup[], scope: Scope, observedNanos: bigint): string {
  const observed = observedNanos.toString()
  return JSON.stringify({
    resourceLogs: groups.map((group) => ({
      resource: { attributes: group.resource.map(([key, value]) => ({ key, value: anyValue(value) })) },
      scopeLogs: [{ scope: { name: scope.name, version: scope.version }, logRecords: group.logs.map((log) => logRecord(log, observed)) }],
    })),
  })
}

function logRecord(log: LogModel, observed: string): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (log.timeUnixNano !== 0n) out.timeUnixNano = log.timeUnixNano.toString()
  out.observedTimeUnixNano = observed
  if (log.severity && log.severity.number !== 0) out.severityNumber = log.severity.number
  if (log.severity && log.severity.text !== '') out.severityText = log.severity.text
  if (log.body !== undefined) out.body = anyValue(log.body)
  if (log.attributes.length > 0) out.attributes = log.attributes.map(([key, value]) => ({ key, value: anyValue(value) }))
  if (log.flags !== 0) out.flags = log.flags
  if (log.traceId) out.traceId = Buffer.from(log.traceId).toString('hex')
  if (log.spanId) out.spanId = Buffer.from(log.spanId).toString('hex')
  if (log.eventName) out.eventName = log.eventName
  return out
}

function anyValue(value: Json): Record<string, unknown> {
  if (value === null) return {}
  switch (typeof value) {
    case 'string':
      return { stringValue: value }
    case 'boolean':
      return { boolValue: value }
    case 'number':
      return Number.isSafeInteger(value) ? { intValue: String(value) } : { doubleValue: value }
  }
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } }
  return { kvlistValue: { values: Object.keys(value).map((key) => ({ key, value: anyValue(value[key]!) })) } }
}
