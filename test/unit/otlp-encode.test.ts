import { describe, expect, it } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { logModelOf, type Json } from '../../src/outputs/otlp/log-model.js'
import { groupByResource } from '../../src/outputs/otlp/group.js'
import { encodeExportRequest } from '../../src/outputs/otlp/encode-protobuf.js'
import { encodeExportRequestJson } from '../../src/outputs/otlp/encode-json.js'
import { DEFAULT_RESOURCE_KEYS } from '../../src/outputs/otlp/options.js'
import { severityOf } from '../../src/outputs/otlp/severity.js'
import { unixNanosOf } from '../../src/outputs/otlp/time.js'
import { decodeExportRequest, decodeExportRequestJson, type DecodedLog } from '../helpers/otlp-proto.js'

const SCOPE = { name: 'logship', version: '9.9.9' }
const KEYS = new Set(DEFAULT_RESOURCE_KEYS)

/** Encodes events both ways and decodes them with the official .proto files. */
function roundTrip(events: Record<string, Json>[], fixed: [string, Json][] = []): { proto: DecodedLog[]; json: DecodedLog[] } {
  const groups = groupByResource(
    events.map((e) => logModelOf(e, KEYS)),
    fixed,
    [['host.name', 'test-host']],
  )
  return {
    proto: decodeExportRequest(encodeExportRequest(groups, SCOPE, 1_700_000_000_000_000_000n)),
    json: decodeExportRequestJson(encodeExportRequestJson(groups, SCOPE, 1_700_000_000_000_000_000n)),
  }
}

describe('OTLP log record mapping (decoded with the official opentelemetry-proto definitions)', () => {
  it('maps a pino event: time, severity, body, attributes, trace context, resource, scope', () => {
    const event = {
      level: 40,
      time: 1_741_948_800_123,
      pid: 42,
      hostname: 'web-1',
      msg: 'slow request',
      req: { method: 'GET', url: '/a', headers: { 'user-agent': 'curl' } },
      tags: ['a', 1, true, null, { x: 1.5 }],
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      span_id: '00f067aa0ba902b7',
      trace_flags: 1,
      service: { name: 'checkout', version: '1.2.3' },
    }
    const { proto, json } = roundTrip([event])
    expect(json).toEqual(proto)
    expect(proto).toHaveLength(1)
    const log = proto[0]!
    expect(log).toMatchObject({
      scope: SCOPE,
      timeUnixNano: '1741948800123000000',
      observedTimeUnixNano: '1700000000000000000',
      severityNumber: 13,
      severityText: 'warn',
      body: 'slow request',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      flags: 1,
      duplicateKeys: [],
    })
    expect(log.resource).toEqual({ 'service.name': 'checkout', 'service.version': '1.2.3', 'host.name': 'test-host' })
    expect(log.attributes).toEqual({
      pid: 42,
      hostname: 'web-1',
      'req.method': 'GET',
      'req.url': '/a',
      'req.headers.user-agent': 'curl',
      tags: ['a', 1, true, null, { x: 1.5 }],
    })
  })

  it('keeps nanoseconds of @timestamp, which wins over time; an unusable time is 0 (unknown)', () => {
    const { proto } = roundTrip([{ '@timestamp': '2025-03-14T10:00:00.123456789Z', time: 5, message: 'a' }, { time: 'yesterday', message: 'b' }, { message: 'c' }])
    expect(proto.map((l) => l.timeUnixNano)).toEqual(['1741946400123456789', '0', '0'])
    expect(proto[0]!.attributes).toEqual({ time: 5 })
    expect(unixNanosOf('2025-03-14T11:00:00.5+01:00')).toBe(1_741_946_400_500_000_000n)
  })

  it('maps levels per the OpenTelemetry data model tables (pino, syslog, winston, names in any case)', () => {
    const cases: [unknown, number, string][] = [
      [10, 1, 'trace'],
      [20, 5, 'debug'],
      [30, 9, 'info'],
      [40, 13, 'warn'],
      [50, 17, 'error'],
      [60, 21, 'fatal'],
      [35, 11, '35'],
      [70, 24, '70'],
      ['WARNING', 13, 'WARNING'],
      ['emerg', 21, 'emerg'],
      ['alert', 19, 'alert'],
      ['crit', 18, 'crit'],
      ['notice', 10, 'notice'],
      ['informational', 9, 'informational'],
      ['http', 8, 'http'],
      ['verbose', 6, 'verbose'],
      ['silly', 1, 'silly'],
      ['custom', 0, 'custom'],
    ]
    for (const [level, number, text] of cases) expect({ level, ...severityOf(level) }).toEqual({ level, number, text })
    const { proto } = roundTrip([
      { 'log.level': 'error', message: 'x' },
      { log: { level: 'info' }, message: 'y' },
      { severity: 'WARN', message: 'z' },
    ])
    expect(proto.map((l) => [l.severityNumber, l.severityText])).toEqual([
      [17, 'error'],
      [9, 'info'],
      [13, 'WARN'],
    ])
    expect(proto.every((l) => Object.keys(l.attributes).length === 0)).toBe(true)
  })

  it('groups events by resource; the configured resource wins over the event', () => {
    const { proto } = roundTrip(
      [{ service: { name: 'a' }, message: '1' }, { 'service.name': 'b', message: '2' }, { service: { name: 'a' }, message: '3' }, { message: '4' }],
      [['deployment.environment', 'prod']],
    )
    expect(proto.map((l) => [l.body, l.resource['service.name'] ?? null, l.resource['deployment.environment']])).toEqual([
      ['1', 'a', 'prod'],
      ['3', 'a', 'prod'],
      ['2', 'b', 'prod'],
      ['4', null, 'prod'],
    ])
  })

  it('ids that are not hex of the right length stay attributes; a key written twice is sent once', () => {
    const { proto } = roundTrip([{ message: 'm', trace_id: 'abc', span_id: '0000000000000000', a: { b: 1 }, 'a.b': 2 }])
    expect(proto[0]).toMatchObject({ traceId: '', spanId: '', duplicateKeys: [] })
    expect(proto[0]!.attributes).toEqual({ trace_id: 'abc', span_id: '0000000000000000', 'a.b': 2 })
  })

  const SPECIAL = new Set([
    '@timestamp',
    'time',
    'timestamp',
    'level',
    'log',
    'severity',
    'message',
    'msg',
    'trace_id',
    'traceId',
    'trace',
    'span_id',
    'spanId',
    'span',
    'trace_flags',
    'traceFlags',
    'event',
    ...DEFAULT_RESOURCE_KEYS,
  ])
  const key = fc.string({ maxLength: 6 }).filter((k) => !SPECIAL.has(k.split('.', 1)[0]!))
  const json = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>
  const event = fc.dictionary(key, json, { maxKeys: 6 }).map((e) => JSON.parse(JSON.stringify(e)) as Record<string, Json>)

  /** The attributes an event should arrive as: nested objects flattened to dotted keys, the last of equal keys winning. */
  function flattened(value: Json, prefix: string, into: Map<string, Json>): Map<string, Json> {
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) flattened(v, `${prefix}.${k}`, into)
    } else into.set(prefix, value)
    return into
  }

  test.prop([fc.array(event, { minLength: 1, maxLength: 5 })])(
    'any JSON events: both encodings decode to the same records, every field a unique attribute with its value',
    (events) => {
      const { proto, json: fromJson } = roundTrip(events)
      expect(fromJson).toEqual(proto)
      expect(proto).toHaveLength(events.length)
      proto.forEach((log, i) => {
        const expected = new Map<string, Json>()
        for (const [k, v] of Object.entries(events[i]!)) flattened(v, k, expected)
        expect(log.duplicateKeys).toEqual([])
        expect(log.attributes).toEqual(Object.fromEntries(expected))
        expect(log.resource).toEqual({ 'host.name': 'test-host' })
      })
    },
  )
})
