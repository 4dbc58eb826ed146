import { join } from 'node:path'
import protobuf from 'protobufjs'
import { ROOT } from './cli.js'

/**
 * The official OTLP definitions checked into src/outputs/otlp/proto, loaded with protobufjs
 * reflection: tests decode what logship sends with them (never with logship's own encoder).
 */
const PROTO_DIR = join(ROOT, 'src', 'outputs', 'otlp', 'proto')

function load(): protobuf.Root {
  const root = new protobuf.Root()
  root.resolvePath = (_origin, target) => join(PROTO_DIR, target)
  root.loadSync('opentelemetry/proto/collector/logs/v1/logs_service.proto')
  root.resolveAll()
  return root
}

const otlpRoot = load()
export const ExportLogsServiceRequest = otlpRoot.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest')
export const ExportLogsServiceResponse = otlpRoot.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse')

/** google.rpc.Status (code = 1, message = 2, details = 3), the body of OTLP/HTTP error replies. */
export const RpcStatus = new protobuf.Type('Status').add(new protobuf.Field('code', 1, 'int32')).add(new protobuf.Field('message', 2, 'string'))
new protobuf.Root().add(RpcStatus)

export type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain }

/** One log record as the collector understood it, in plain values. */
export interface DecodedLog {
  readonly resource: Record<string, Plain>
  readonly scope: { name: string; version: string }
  readonly timeUnixNano: string
  readonly observedTimeUnixNano: string
  readonly severityNumber: number
  readonly severityText: string
  readonly body: Plain | undefined
  readonly attributes: Record<string, Plain>
  /** Keys that appeared more than once in `attributes` (OTLP forbids it). */
  readonly duplicateKeys: string[]
  readonly traceId: string
  readonly spanId: string
  readonly flags: number
  readonly eventName: string
}

interface AnyValueMsg {
  value?: string
  stringValue?: string
  boolValue?: boolean
  intValue?: { toString(): string } | number
  doubleValue?: number
  arrayValue?: { values?: AnyValueMsg[] }
  kvlistValue?: { values?: KeyValueMsg[] }
  bytesValue?: Uint8Array
}
interface KeyValueMsg {
  key: string
  value?: AnyValueMsg
}

/** An AnyValue as a plain value: which member of the `value` oneof is set decides (protobufjs names it in `value`). */
function plainOf(v: AnyValueMsg | undefined): Plain {
  switch (v?.value) {
    case 'stringValue':
      return v.stringValue!
    case 'boolValue':
      return v.boolValue!
    case 'intValue':
      return Number(v.intValue!.toString())
    case 'doubleValue':
      return v.doubleValue!
    case 'arrayValue':
      return (v.arrayValue!.values ?? []).map(plainOf)
    case 'kvlistValue':
      return Object.fromEntries((v.kvlistValue!.values ?? []).map((kv) => [kv.key, plainOf(kv.value)]))
    case 'bytesValue':
      return Buffer.from(v.bytesValue!).toString('base64')
    default:
      return null
  }
}

function attributesOf(list: KeyValueMsg[] | undefined): { attributes: Record<string, Plain>; duplicateKeys: string[] } {
  const attributes: Record<string, Plain> = {}
  const duplicateKeys: string[] = []
  for (const kv of list ?? []) {
    if (Object.hasOwn(attributes, kv.key)) duplicateKeys.push(kv.key)
    attributes[kv.key] = plainOf(kv.value)
  }
  return { attributes, duplicateKeys }
}

/** Decodes a protobuf `ExportLogsServiceRequest` (strictly: bad bytes throw) into plain records. */
export function decodeExportRequest(body: Uint8Array): DecodedLog[] {
  return recordsOf(ExportLogsServiceRequest.decode(body) as unknown as RequestMsg)
}

/** Reads an OTLP/JSON `ExportLogsServiceRequest`: hex ids, string int64s, numeric enums. */
export function decodeExportRequestJson(text: string): DecodedLog[] {
  const object = JSON.parse(text) as { resourceLogs?: { scopeLogs?: { logRecords?: Record<string, unknown>[] }[] }[] }
  for (const rl of object.resourceLogs ?? [])
    for (const sl of rl.scopeLogs ?? [])
      for (const lr of sl.logRecords ?? []) {
        // OTLP/JSON writes ids as hex, protobuf's JSON mapping as base64
        for (const key of ['traceId', 'spanId']) if (typeof lr[key] === 'string') lr[key] = Buffer.from(lr[key] as string, 'hex').toString('base64')
      }
  // (protobufjs's verify() refuses int64 as strings, which OTLP/JSON requires: fromObject reads them)
  return recordsOf(ExportLogsServiceRequest.fromObject(object) as unknown as RequestMsg)
}

interface RequestMsg {
  resourceLogs?: {
    resource?: { attributes?: KeyValueMsg[] }
    scopeLogs?: {
      scope?: { name?: string; version?: string }
      logRecords?: {
        timeUnixNano?: { toString(): string } | number
        observedTimeUnixNano?: { toString(): string } | number
        severityNumber?: number
        severityText?: string
        body?: AnyValueMsg
        attributes?: KeyValueMsg[]
        traceId?: Uint8Array
        spanId?: Uint8Array
        flags?: number
        eventName?: string
      }[]
    }[]
  }[]
}

function recordsOf(request: RequestMsg): DecodedLog[] {
  const out: DecodedLog[] = []
  for (const rl of request.resourceLogs ?? []) {
    const resource = attributesOf(rl.resource?.attributes).attributes
    for (const sl of rl.scopeLogs ?? []) {
      const scope = { name: sl.scope?.name ?? '', version: sl.scope?.version ?? '' }
      for (const lr of sl.logRecords ?? []) {
        const { attributes, duplicateKeys } = attributesOf(lr.attributes)
        if (lr.traceId?.length && lr.traceId.length !== 16) throw new Error(`trace_id of ${lr.traceId.length} bytes; OTLP wants 16`)
        if (lr.spanId?.length && lr.spanId.length !== 8) throw new Error(`span_id of ${lr.spanId.length} bytes; OTLP wants 8`)
        out.push({
          resource,
          scope,
          timeUnixNano: String(lr.timeUnixNano ?? 0),
          observedTimeUnixNano: String(lr.observedTimeUnixNano ?? 0),
          severityNumber: lr.severityNumber ?? 0,
          severityText: lr.severityText ?? '',
          body: lr.body ? plainOf(lr.body) : undefined,
          attributes,
          duplicateKeys,
          traceId: lr.traceId ? Buffer.from(lr.traceId).toString('hex') : '',
          spanId: lr.spanId ? Buffer.from(lr.spanId).toString('hex') : '',
          flags: lr.flags ?? 0,
          eventName: lr.eventName ?? '',
        })
      }
    }
  }
  return out
}
