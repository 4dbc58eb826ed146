import { describe, it, expect } from 'vitest'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createShipper } from 'logship'
import { startSink, allEvents, isLossMarker } from '../helpers/sink.js'
import { expectLedgerBalanced } from '../helpers/ledger.js'
import { runFixture } from '../helpers/child.js'

describe('shipping through the http output', () => {
  for (const thread of ['worker', 'main'] as const) {
    it(`delivers every event once, in order, with fields merged (thread: ${thread})`, async () => {
      const sink = await startSink()
      const shipper = createShipper({
        output: { type: 'http', url: sink.url },
        batch: { maxEvents: 100, flushMs: 20 },
        fields: { service: { name: 'checkout' } },
        thread,
      })
      const n = 5000
      for (let i = 0; i < n; i++) expect(shipper.write({ level: 'info', msg: 'hello', i })).toBe(true)
      await shipper.flush()
      const events = await sink.events()
      expect(events.map((e) => e.i)).toEqual(Array.from({ length: n }, (_, i) => i))
      expect(events[0]).toMatchObject({ level: 'info', msg: 'hello', service: { name: 'checkout' } })
      expect(typeof events[0]!['@timestamp']).toBe('string')
      const stats = shipper.stats()
      expect(stats).toMatchObject({ received: n, accepted: n, acked: n, dropped: 0, failed: 0, queuedEvents: 0, inFlightEvents: 0 })
      await shipper.close()
    })
  }

  it('takes a JSON object text as is, wraps other strings as {"message"}, and keeps the event own keys over fields', async () => {
    const sink = await startSink()
    const shipper = createShipper({ output: { type: 'http', url: sink.url }, batch: { flushMs: 10 }, fields: { env: 'prod', service: { name: 'a', version: '1' } } })
    shipper.write('{"already":"json","time":1700000000000}')
    shipper.write('plain text line')
    shipper.write({ env: 'dev', service: { name: 'b' } })
    shipper.write('{\n  "pretty": true\n}')
    await shipper.flush()
    const events = await sink.events()
    expect(events[0]).toEqual({ env: 'prod', service: { name: 'a', version: '1' }, already: 'json', time: 1700000000000 })
    expect(events[1]).toMatchObject({ message: 'plain text line', env: 'prod' })
    expect(events[2]).toMatchObject({ env: 'dev', service: { name: 'b', version: '1' } })
    expect(events[3]).toMatchObject({ pretty: true })
    await shipper.close()
  })

  it('gzips request bodies when asked', async () => {
    const sink = await startSink()
    const shipper = createShipper({ output: { type: 'http', url: sink.url, compression: 'gzip' }, batch: { flushMs: 10 } })
    for (let i = 0; i < 100; i++) shipper.write({ i, text: 'é漢字🎉' })
    await shipper.flush()
    const events = await sink.events()
    expect(events).toHaveLength(100)
    expect(events[99]).toMatchObject({ i: 99, text: 'é漢字🎉' })
    await shipper.close()
  })

  it('keeps the ledger balanced at every moment while shipping', async () => {
    const sink = await startSink()
    const shipper = createShipper({ output: { type: 'http', url: sink.url }, batch: { maxEvents: 50, flushMs: 5 }, queue: { maxBytes: 64 * 1024 } })
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 200; i++) shipper.write({ round, i, pad: 'x'.repeat(100) })
      expectLedgerBalanced(shipper.stats())
      await new Promise((r) => setImmediate(r))
      expectLedgerBalanced(shipper.stats())
    }
    await shipper.flush()
    const s = shipper.stats()
    expectLedgerBalanced(s)
    expect(s.acked + s.dropped).toBe(10_000)
    expect((await sink.events()).length).toBe(s.acked)
    await shipper.close()
  })
})

describe('file and console outputs', () => {
  it('appends NDJSON to a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logship-file-'))
    const path = join(dir, 'out.ndjson')
    const shipper = createShipper({ output: { type: 'file', path }, batch: { flushMs: 10 } })
    for (let i = 0; i < 1000; i++) shipper.write({ i })
    await shipper.close()
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { i: number })
    expect(lines.map((l) => l.i)).toEqual(Array.from({ length: 1000 }, (_, i) => i))
  })

  it('writes NDJSON lines on stdout', async () => {
    const result = await runFixture('child/exit-after-writes.mjs', {
      adapter: 'shipper',
      options: { output: { type: 'console' }, batch: { flushMs: 10 } },
      count: 3,
      ending: 'close',
    })
    expect(result.code).toBe(0)
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { i: number; msg: string })
    expect(lines.every((l) => l.msg === 'line')).toBe(true)
    expect(lines.map((l) => l.i)).toEqual([0, 1, 2])
  })
})

describe('normal exit loses nothing', () => {
  // close() unregistered the exit hooks before it had shipped anything: an app that called it
  // without awaiting it and exited (or crashed) lost every queued event, and counted none
  for (const [ending, adapter] of [
    ['close-then-exit', 'shipper'],
    ['close-then-throw', 'shipper'],
    ['close-then-throw', 'stdout'],
  ] as const) {
    it(`${adapter}: ${ending} still ships the 10,000 events queued when close() began`, async () => {
      const sink = await startSink()
      const result = await runFixture('child/exit-after-writes.mjs', {
        adapter,
        options: { output: { type: 'http', url: sink.url }, closeTimeoutMs: 20000 },
        count: 10_000,
        ending,
      })
      expect(result.code, result.stderr).toBe(ending === 'close-then-exit' ? 0 : 1)
      const ids = (await sink.events()).map((e) => e.i as number)
      expect(new Set(ids).size, result.stderr).toBe(10_000)
    })
  }

  it('ships what a thread: main shipper queued when the program simply ends', async () => {
    const sink = await startSink()
    const result = await runFixture('child/exit-after-writes.mjs', {
      adapter: 'shipper',
      options: { output: { type: 'http', url: sink.url }, thread: 'main' },
      count: 1000,
      ending: 'return',
    })
    expect(result.code).toBe(0)
    expect((await sink.events()).length).toBe(1000)
  })

  it('exits within closeTimeoutMs when the sink is down, saying how many events were not shipped', async () => {
    const result = await runFixture('child/exit-after-writes.mjs', {
      adapter: 'shipper',
      options: { output: { type: 'http', url: 'http://127.0.0.1:9/ingest' }, closeTimeoutMs: 300 },
      count: 10,
      ending: 'return',
    })
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('logship: 10 events were not delivered within closeTimeoutMs (300 ms) and were dropped (counted as dropped.shutdown)')
    expect(result.stderr.match(/not delivered/g)).toHaveLength(1)
  })

  for (const how of ['process.exit(0)', 'return from the module (beforeExit)', 'SIGTERM']) {
    it(`ships 10,000 events logged right before ${how}`, async () => {
      const sink = await startSink()
      const ending = how === 'SIGTERM' ? 'sigterm' : how.startsWith('process.exit') ? 'exit' : 'return'
      const result = await runFixture('child/exit-after-writes.mjs', {
        adapter: 'shipper',
        options: { output: { type: 'http', url: sink.url }, closeTimeoutMs: 20000 },
        count: 10_000,
        ending,
      })
      if (how === 'SIGTERM') expect(result.signal).toBe('SIGTERM')
      else expect(result.code).toBe(0)
      const ids = (await sink.events()).map((e) => e.i as number)
      expect(ids.length).toBe(10_000)
      expect(new Set(ids).size).toBe(10_000)
      expect((await allEvents(sink)).filter(isLossMarker)).toEqual([])
    })
  }
})
