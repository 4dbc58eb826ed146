import { describe, expect } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { logModelOf, parseRecord, type Attribute } from '../../src/outputs/otlp/log-model.js'
import { groupByResource } from '../../src/outputs/otlp/group.js'
import { encodeExportRequest } from '../../src/outputs/otlp/encode-protobuf.js'
import { ScanEncoder } from '../../src/outputs/otlp/encode-scan.js'
import { DEFAULT_RESOURCE_KEYS } from '../../src/outputs/otlp/options.js'
import { ExportLogsServiceRequest, decodeExportRequest } from '../helpers/otlp-proto.js'

const SCOPE = { name: 'logship', version: '9.9.9' }
const KEYS = new Set(DEFAULT_RESOURCE_KEYS)
const OBSERVED = 1_700_000_000_000_000_000n
const FIXED: Attribute[] = [['deployment.environment', 'test']]
const DEFAULTS: Attribute[] = [['host.name', 'test-host']]

/** The reference object path: JSON.parse, logModelOf, groupByResource, protobufjs's Writer. */
function reference(records: readonly Uint8Array[]): Uint8Array {
  const groups = groupByResource(
    records.map((r) => logModelOf(parseRecord(r), KEYS)),
    FIXED,
    DEFAULTS,
  )
  return encodeExportRequest(groups, SCOPE, OBSERVED)
}

/** The whole request as the official definitions decode it, field order kept (arrays), ids as hex. */
function decoded(body: Uint8Array): unknown {
  return ExportLogsServiceRequest.toObject(ExportLogsServiceRequest.decode(body), { longs: String, bytes: String, defaults: false })
}

// JSON text built by hand, so that keys can repeat, numbers keep their text (bigints,
// exponents, -0) and strings can be written with escapes JSON.stringify would not use
type Node = { object: [string, Node][] } | { array: Node[] } | { string: string } | { number: string } | { literal: 'true' | 'false' | 'null' }

const specialKeys = [
  '@timestamp',
  'time',
  'timestamp',
  'level',
  'log.level',
  'severity',
  'message',
  'msg',
  'trace_id',
  'traceId',
  'trace.id',
  'span_id',
  'spanId',
  'span.id',
  'trace_flags',
  'traceFlags',
  'event.name',
  'service',
  'service.name',
  'host',
  'k8s.pod.name',
  'log',
  'trace',
  'span',
  'event',
  'a',
  'a.b',
  'b',
  '0',
  '12',
  '__proto__',
  '',
  'é.ü',
  '🚀',
]
const key = fc.oneof(fc.constantFrom(...specialKeys), fc.string({ unit: 'binary', maxLength: 8 }))
const numberText = fc.oneof(
  fc.integer().map(String),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
  fc.constantFrom('-0', '0.0', '1e3', '1E-7', '-2.5e+300', '1e400', '1764000000123', '1764000000123.456', '30', '35', '64', '9007199254740993', '0.1'),
)
const hex = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex'))
const stringValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('info', 'WARN', 'Error', 'emerg', 'custom', '2026-12-02T16:00:00.123456789Z', '2026-12-02T16:00:00+02:00', '2026-12-02', 'not a time'),
  fc.constantFrom('0'.repeat(32), '0'.repeat(16), 'XYZ'),
  hex(16),
  hex(8),
  hex(16).map((h) => h.toUpperCase()),
)
const node: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    stringValue.map((string) => ({ string })),
    numberText.map((number) => ({ number })),
    fc.constantFrom('true', 'false', 'null').map((literal) => ({ literal }) as Node),
    fc.array(tie('node'), { maxLength: 3 }).map((array) => ({ array })),
    fc.array(fc.tuple(key, tie('node')), { maxLength: 4 }).map((object) => ({ object })),
  ),
})).node
const record = fc.array(fc.tuple(key, node), { maxLength: 10 }).map((object): Node => ({ object }))

/** Escapes non-ASCII characters as \uXXXX, `/` as `\/` (both valid JSON escapes) where `escaped` says so. */
function stringText(value: string, escaped: boolean): string {
  const text = JSON.stringify(value)
  return escaped ? text.replace(/[^\x20-\x7e]|\//g, (c) => (c === '/' ? '\\/' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)) : text
}

function render(n: Node, escaped: boolean, space: string): string {
  if ('object' in n) return `{${space}${n.object.map(([k, v]) => `${stringText(k, escaped)}${space}:${space}${render(v, escaped, space)}`).join(`,${space}`)}${space}}`
  if ('array' in n) return `[${n.array.map((v) => render(v, escaped, space)).join(`,${space}`)}]`
  if ('string' in n) return stringText(n.string, escaped)
  if ('number' in n) return n.number
  return n.literal
}

const recordText = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(record, fc.boolean(), fc.constantFrom('', ' ', '\n\t')).map(([r, escaped, space]) => Buffer.from(render(r, escaped, space))) },
  // not one JSON object: the reference makes the whole text the body
  {
    weight: 1,
    arbitrary: fc.constantFrom('[1,2]', '"text"', 'not json', '{"a":1} trailing', '', '{"a":01}', '{"a":1,}', '{"a":"\\x"}', '\ufeff{"a":1}').map((t) => Buffer.from(t)),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 30 }).map((b) => Buffer.concat([Buffer.from('{"msg":"'), Buffer.from(b), Buffer.from('"}')])) },
)

describe('OTLP one-scan encoder (encode-scan.ts) against the reference object path', () => {
  test.prop([fc.array(recordText, { minLength: 1, maxLength: 6 })], { numRuns: 500 })(
    'gives the same ExportLogsServiceRequest, byte for byte, for arbitrary JSON records',
    (records) => {
      const encoder = new ScanEncoder(SCOPE, KEYS, FIXED, DEFAULTS)
      const expected = reference(records)
      const actual = encoder.encode(records, OBSERVED)
      expect(decoded(actual)).toEqual(decoded(expected))
      expect(decodeExportRequest(actual)).toEqual(decodeExportRequest(expected))
      expect(Buffer.from(actual).equals(Buffer.from(expected))).toBe(true)
      // the encoder is reused batch after batch: a second batch gives the same bytes
      expect(Buffer.from(encoder.encode(records, OBSERVED)).equals(Buffer.from(actual))).toBe(true)
    },
  )

  test.prop([fc.array(record, { minLength: 1, maxLength: 3 })])('records views into one shared buffer (as the engine hands them) encode like standalone ones', (nodes) => {
    const texts = nodes.map((n) => Buffer.from(render(n, false, '')))
    const shared = Buffer.concat(texts)
    const views: Uint8Array[] = []
    let at = 0
    for (const t of texts) {
      views.push(new Uint8Array(shared.buffer, shared.byteOffset + at, t.length))
      at += t.length
    }
    const encoder = new ScanEncoder(SCOPE, KEYS, FIXED, DEFAULTS)
    expect(Buffer.from(encoder.encode(views, OBSERVED)).equals(Buffer.from(reference(texts)))).toBe(true)
  })

  test.prop([fc.integer({ min: 1, max: 3000 })], { numRuns: 20 })('a big batch (lengths of several bytes, a writer that grows) decodes like the reference', (count) => {
    const records = Array.from({ length: count }, (_, i) =>
      Buffer.from(JSON.stringify({ level: 30, time: 1764000000000 + i, msg: `event ${i} ${'x'.repeat(i % 300)}`, req: { id: i }, service: { name: `s${i % 3}` } })),
    )
    const encoder = new ScanEncoder(SCOPE, KEYS, FIXED, DEFAULTS)
    expect(Buffer.from(encoder.encode(records, OBSERVED)).equals(Buffer.from(reference(records)))).toBe(true)
  })
})
