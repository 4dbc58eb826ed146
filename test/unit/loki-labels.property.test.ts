import { describe, expect, it } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { StreamBuilder } from '../../src/outputs/loki/streams.js'

/** The label text an event should get, written out independently of streams.ts: names sorted, empty and missing values left out. */
function expectedLabels(labels: Record<string, string>, event: Record<string, unknown>): string {
  const pairs = Object.keys(labels)
    .sort()
    .flatMap((name) => {
      const source = labels[name]!
      const value = source.startsWith('{') ? event[source.slice(1, -1)] : source
      return value === undefined || value === null || value === '' || typeof value === 'object' ? [] : [[name, String(value)] as const]
    })
  if (pairs.length === 0) return '{job="logship"}'
  return `{${pairs.map(([n, v]) => `${n}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(', ')}}`
}

const rec = (event: Record<string, unknown>): Uint8Array => Buffer.from(JSON.stringify(event))
const indexOf = (line: Uint8Array): number => (JSON.parse(Buffer.from(line).toString()) as { i: number }).i

const value = fc.oneof(
  fc.constantFrom('', 'a', 'b', 'a"b\\c\nd', 'é🚀', 'undefined'),
  fc.string({ maxLength: 4 }),
  fc.integer({ min: -2, max: 2 }),
  fc.boolean(),
  fc.constant(null),
)
const labelsArb = fc.dictionary(fc.constantFrom('job', 'level', 'k', 'service', '_x', 'z'), fc.constantFrom('fixed', '{v1}', '{v2}', '{v3}'), { minKeys: 0, maxKeys: 4 })
const event = fc.record({ v1: value, v2: value, v3: value }, { requiredKeys: [] })

describe('Loki label sets, remembered by their values (streams.ts)', () => {
  test.prop([labelsArb, fc.array(fc.array(event, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 4 })], { numRuns: 300 })(
    'every event gets the label text of its own values, batch after batch',
    (labels, batches) => {
      const builder = new StreamBuilder(labels, {}, 10_000)
      for (const batch of batches) {
        const streams = builder.build(
          batch.map((e, i) => rec({ ...e, i })),
          1n,
        )
        for (const s of streams) for (const entry of s.entries) expect(s.labels).toBe(expectedLabels(labels, batch[indexOf(entry.line)]!))
      }
    },
  )

  it('keeps giving the right label text past 10,000 distinct label sets (the memo starts over)', () => {
    const labels = { job: 'x', id: '{v1}', level: '{v2}' }
    const builder = new StreamBuilder(labels, {}, 100_000)
    for (let batch = 0; batch < 3; batch++) {
      const events = Array.from({ length: 4_000 }, (_, i) => ({ v1: `id-${(batch * 4_000 + i) % 11_000}`, v2: i % 3 === 0 ? '' : 'info', i }))
      const streams = builder.build(events.map(rec), 1n)
      for (const s of streams) for (const entry of s.entries) expect(s.labels).toBe(expectedLabels(labels, events[indexOf(entry.line)]!))
    }
  })
})
