import { describe, expect, it } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { parseTemplate, fillTemplate } from '../../src/outputs/loki/template.js'
import { StreamBuilder } from '../../src/outputs/loki/streams.js'
import { encodePushJson } from '../../src/outputs/loki/encode.js'
import { lokiOutputSchema } from '../../src/outputs/loki/options.js'

const rec = (event: Record<string, unknown>): Uint8Array => Buffer.from(JSON.stringify(event))

describe('loki label templates', () => {
  it('fills {field.path} from dotted keys or nested objects; missing, null and object values leave the label out', () => {
    const t = parseTemplate('{service.name}-{env}')
    expect(t.fixed).toBe(false)
    expect(fillTemplate(t, { 'service.name': 'a', env: 'prod' })).toBe('a-prod')
    expect(fillTemplate(t, { service: { name: 'b' }, env: 1 })).toBe('b-1')
    expect(fillTemplate(t, { env: 'prod' })).toBeUndefined()
    expect(fillTemplate(t, { service: { name: null }, env: 'x' })).toBeUndefined()
    expect(fillTemplate(parseTemplate('{{literal}}'), {})).toBe('{literal}')
    expect(parseTemplate('fixed').fixed).toBe(true)
  })

  it('refuses broken templates and label names with a message that says what to write', () => {
    expect(parseTemplate('{service.name').problem).toMatch(/expected \{field\.path\} at 1 in "\{service\.name"; write \{\{ for a literal brace/)
    expect(parseTemplate('a}b').problem).toMatch(/unmatched \} at 2/)
    const bad = lokiOutputSchema.safeParse({ type: 'loki', url: 'http://127.0.0.1:3100', labels: { '1bad': 'x', ok: '{}' } })
    expect(bad.success).toBe(false)
    const messages = bad.error!.issues.map((i) => i.message).join('\n')
    expect(messages).toMatch(/"1bad" is not a label name: use letters, digits and _, not starting with a digit/)
    expect(messages).toMatch(/expected \{field\.path\} at 1/)
  })

  it('escapes label values the way Prometheus label text wants them', () => {
    const streams = new StreamBuilder({ v: '{v}' }, {}, 10).build([rec({ v: 'a"b\\c\nd' })], 1n)
    expect(streams[0]!.labels).toBe('{v="a\\"b\\\\c\\nd"}')
    expect(JSON.parse(encodePushJson(streams)).streams[0].stream).toEqual({ v: 'a"b\\c\nd' })
  })

  test.prop([fc.array(fc.record({ k: fc.constantFrom('a', 'b', 'c', 'd', 'e'), t: fc.integer({ min: 0, max: 1e12 }) }), { maxLength: 60 }), fc.integer({ min: 1, max: 6 })])(
    'every event lands in exactly one stream, entries sorted by time (ties in batch order), at most maxStreams + the overflow stream',
    (events, maxStreams) => {
      const builder = new StreamBuilder({ job: 'x', k: '{k}' }, {}, maxStreams)
      const streams = builder.build(
        events.map((e, i) => rec({ ...e, i, time: e.t })),
        0n,
      )
      const seen = streams.flatMap((s) => s.entries.map((e) => (JSON.parse(Buffer.from(e.line).toString()) as { i: number }).i))
      expect(seen.sort((a, b) => a - b)).toEqual(events.map((_, i) => i))
      for (const s of streams) {
        const order = s.entries.map((e) => [e.nanos, (JSON.parse(Buffer.from(e.line).toString()) as { i: number }).i] as const)
        for (let j = 1; j < order.length; j++) expect(order[j - 1]![0] < order[j]![0] || (order[j - 1]![0] === order[j]![0] && order[j - 1]![1] < order[j]![1])).toBe(true)
      }
      const normal = streams.filter((s) => !s.labels.includes('logship_overflow'))
      expect(normal.length).toBeLessThanOrEqual(maxStreams)
      expect(builder.overflowed).toBe(streams.filter((s) => s.labels === '{job="x", logship_overflow="true"}').reduce((n, s) => n + s.entries.length, 0))
    },
  )
})
