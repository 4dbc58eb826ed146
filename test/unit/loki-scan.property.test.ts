import { describe, expect } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { StreamBuilder, type Stream } from '../../src/outputs/loki/streams.js'
import { encodePushJson, encodePushRequest } from '../../src/outputs/loki/encode.js'

// JSON text built by hand, so that keys can repeat (at any level, or as `a.b` beside `{ a: { b } }`),
// numbers keep their text and strings can be written with escapes JSON.stringify would not use
type Node = { object: [string, Node][] } | { array: Node[] } | { string: string } | { number: string } | { literal: 'true' | 'false' | 'null' }

const specialKeys = [
  '@timestamp',
  'time',
  'timestamp',
  'level',
  'a',
  'a.b',
  'b',
  'a.x',
  'x',
  'service',
  'service.name',
  'name',
  'req',
  'method',
  '0',
  '__proto__',
  '',
  'é.ü',
  'é',
  'ü',
  '🚀',
]
const key = fc.oneof(fc.constantFrom(...specialKeys), fc.string({ unit: 'binary', maxLength: 6 }))
const numberText = fc.oneof(
  fc.integer().map(String),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
  fc.constantFrom('-0', '0.0', '1e3', '1E-7', '1e400', '1764000000123', '1764000000123.456', '9007199254740993'),
)
const stringValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('info', 'warn', 'a"b\\c\nd', '2026-12-02T16:00:00.123456789Z', '2026-12-02T16:00:00+02:00', '2026-12-02', 'not a time', ''),
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
const record = fc.array(fc.tuple(key, node), { maxLength: 8 }).map((object): Node => ({ object }))

/** Non-ASCII characters as \uXXXX and `/` as `\/` (valid JSON escapes) where `escaped` says so. */
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

// members that meet the templates' paths in every way the two readings could differ on
const fragments = [
  '"a":{"b":"v1"}',
  '"a.b":"v2"',
  '"a.x":{"b":"v3"}',
  '"a":{"x.b":"v4"}',
  '"a":{"x":{"b":5}}',
  '"a":[{"b":"v6"}]',
  '"a":[-0]',
  '"a":{"b":{"c":true}}',
  '"a":{"b":"x\\"y\\u00e9"}',
  '"a":{}',
  '"service":{"name":"s"}',
  '"service.name":"t"',
  '"level":"info"',
  '"level":30',
  '"level":null',
  '"time":1764000000123',
  '"time":{"x":1}',
  '"time":"2026-12-02"',
  '"@timestamp":"2026-12-02T16:00:00.123456789Z"',
  '"timestamp":"bad"',
  '"é":{"ü":"u"}',
  '"é.ü":"u2"',
  '"req":{"method":"GET"}',
  '"0":"zero"',
  '"__proto__":"p"',
]
const fragmentRecord = fc.shuffledSubarray(fragments, { maxLength: 6 }).map((parts) => Buffer.from(`{${parts.join(',')}}`))

const recordText = fc.oneof(
  { weight: 6, arbitrary: fragmentRecord },
  { weight: 8, arbitrary: fc.tuple(record, fc.boolean(), fc.constantFrom('', ' ', '\n\t')).map(([r, escaped, space]) => Buffer.from(render(r, escaped, space))) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('[1,2]', '"text"', 'not json', '{"a":1} trailing', '', '{"a":01}', '{"a":1,}', '{"a":"\\x"}', '\ufeff{"a":1}').map((t) => Buffer.from(t)),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.concat([Buffer.from('{"level":"'), Buffer.from(b), Buffer.from('"}')])) },
)

const template = fc.constantFrom(
  'fixed',
  '{level}',
  '{a}',
  '{a.b}',
  '{a.x.b}',
  '{a.b.c}',
  '{a.0}',
  '{a.0.b}',
  '{service.name}',
  '{req.method}-{level}',
  '{time}',
  '{0}',
  '{__proto__}',
  '{é.ü}',
  '{🚀}',
  '{{lit}}{b}',
)
const templates = fc.dictionary(fc.constantFrom('job', 'level', 'k', 'service', '_x'), template, { maxKeys: 3 })

function builders(labels: Record<string, string>, metadata: Record<string, string>, maxStreams: number) {
  const make = (scan: boolean) => {
    const builder = new StreamBuilder(labels, metadata, maxStreams, { scan })
    const reports: [string, number][] = []
    builder.onOverflow = (refused, count) => reports.push([refused, count])
    return { builder, reports }
  }
  return { actual: make(true), reference: make(false) }
}

const plain = (streams: Stream[]) =>
  streams.map((s) => ({ labels: s.labels, entries: s.entries.map((e) => ({ nanos: e.nanos, line: Buffer.from(e.line).toString('hex'), metadata: e.metadata })) }))

describe('Loki streams read in one scan (event-fields.ts) against the reference JSON.parse path', () => {
  test.prop([templates, templates, fc.integer({ min: 1, max: 4 }), fc.array(fc.array(recordText, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 })], {
    numRuns: 500,
  })('gives the same push request (streams, labels, entries, order, metadata, overflow) batch after batch', (labels, metadata, maxStreams, batches) => {
    const { actual, reference } = builders(labels, metadata, maxStreams)
    for (const [i, records] of batches.entries()) {
      const now = 1_700_000_000_000_000_000n + BigInt(i)
      const got = actual.builder.build(records, now)
      const want = reference.builder.build(records, now)
      expect(plain(got)).toEqual(plain(want))
      expect(Buffer.from(encodePushRequest(got)).equals(Buffer.from(encodePushRequest(want)))).toBe(true)
      expect(encodePushJson(got)).toBe(encodePushJson(want))
    }
    expect(actual.builder.overflowed).toBe(reference.builder.overflowed)
    expect(actual.reports).toEqual(reference.reports)
  })

  test.prop([fc.array(record, { minLength: 1, maxLength: 4 })])('records that are views into one shared buffer (as the engine hands them) read like standalone ones', (nodes) => {
    const texts = nodes.map((n) => Buffer.from(render(n, false, '')))
    const shared = Buffer.concat(texts)
    const views: Uint8Array[] = []
    let at = 0
    for (const t of texts) {
      views.push(new Uint8Array(shared.buffer, shared.byteOffset + at, t.length))
      at += t.length
    }
    const labels = { level: '{level}', a: '{a.b}', s: '{service.name}' }
    const { actual, reference } = builders(labels, { t: '{time}' }, 1000)
    expect(plain(actual.builder.build(views, 1n))).toEqual(plain(reference.builder.build(texts, 1n)))
  })
})
