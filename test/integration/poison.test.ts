import { describe, expect } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { createShipper } from 'logship'
import { startSink, allEvents, isLossMarker } from '../helpers/sink.js'
import { expectLedgerBalanced } from '../helpers/ledger.js'

// A sink that refuses a whole request with 400 when one event in it is bad, without saying
// which (what Elasticsearch does with a body it cannot parse, and plain HTTP sinks do): the
// shipper must find the bad events by bisecting, dead-letter exactly those, deliver the rest.
describe('poison isolation (HTTP 400 on the whole body)', () => {
  test.prop(
    [
      fc.integer({ min: 1, max: 250 }).chain((n) => fc.tuple(fc.constant(n), fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: Math.min(n, 6) }))),
      fc.integer({ min: 1, max: 64 }),
    ],
    { numRuns: 12 },
  )('poison at random positions: everything else is delivered in order, exactly the poison is dead-lettered', async ([n, poisonAt], maxEvents) => {
    const sink = await startSink()
    await sink.setMode({ poisonField: 'poison' })
    const poison = new Set(poisonAt)
    const shipper = createShipper({ output: { type: 'http', url: sink.url }, batch: { maxEvents, flushMs: 5 }, retry: { initialDelayMs: 1, maxDelayMs: 5 } })
    const dead: string[] = []
    shipper.on('dead-letter', (d) => dead.push(...d.events))
    for (let i = 0; i < n; i++) shipper.write(poison.has(i) ? { i, poison: true } : { i })
    await shipper.flush()
    const s = shipper.stats()
    await shipper.close()
    const good = Array.from({ length: n }, (_, i) => i).filter((i) => !poison.has(i))
    expect((await sink.events()).map((e) => e.i)).toEqual(good)
    expect(dead.map((e) => (JSON.parse(e) as { i: number }).i).sort((a, b) => a - b)).toEqual([...poison].sort((a, b) => a - b))
    expect(s).toMatchObject({ received: n, acked: good.length, failed: poison.size, retried: 0 })
    expectLedgerBalanced(s)
    expect((await allEvents(sink)).filter(isLossMarker)).toEqual([])
  })

  test('text that only looks like a JSON object is shipped as a message: nothing refused, nothing lost (worker thread)', async () => {
    // the sink answers 400 to a body with a line it cannot parse: a record that is not JSON would poison its batch
    const sink = await startSink()
    const shipper = createShipper({ output: { type: 'http', url: sink.url }, batch: { maxEvents: 50, flushMs: 5 } })
    const odd = ["{'a': 1}", '{oops}', '{"a":1}{"b":2}', '{"line":"one"\n}', '{"tab":"\t"}', '{}}']
    for (let i = 0; i < 120; i++) shipper.write(i % 20 === 0 ? odd[(i / 20) % odd.length]! : `{"i":${i}}`)
    await shipper.flush()
    const s = shipper.stats()
    await shipper.close()
    expect(s).toMatchObject({ received: 120, acked: 120, failed: 0 })
    const events = await sink.events()
    expect(events.filter((e) => typeof e.i === 'number')).toHaveLength(114)
    // valid JSON spread over two lines is one record again; the rest are not JSON: messages
    expect(events.filter((e) => e.line !== undefined)).toEqual([{ line: 'one', '@timestamp': expect.any(String) }])
    expect(events.filter((e) => e.message !== undefined).map((e) => e.message)).toEqual([odd[0], odd[1], odd[2], odd[4], odd[5]])
  })

  test('the dead-letter reason says the sink refused the event as malformed, with its status', async () => {
    const sink = await startSink()
    await sink.setMode({ poisonField: 'poison' })
    const shipper = createShipper({ output: { type: 'http', url: sink.url }, batch: { maxEvents: 100, flushMs: 5 } })
    const reasons: string[] = []
    shipper.on('dead-letter', (d) => reasons.push(d.reason))
    for (let i = 0; i < 50; i++) shipper.write(i === 17 ? { i, poison: 1 } : { i })
    await shipper.flush()
    await shipper.close()
    expect(reasons).toHaveLength(1)
    expect(reasons[0]).toMatch(/^HTTP 400: .* \(http\(http:\/\/127\.0\.0\.1:\d+\/[^)]*\) refused this event on its own as malformed: isolated by splitting its batch\)$/)
    expect(await sink.events()).toHaveLength(49)
  })
})
