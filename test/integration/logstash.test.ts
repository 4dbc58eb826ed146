import { describe, it, expect } from 'vitest'
import { createShipper, OptionError } from 'logship'
import { startFakeLogstash, distinctIds, userEvents, range } from '../helpers/fake-logstash.js'
import { expectLedgerBalanced } from '../helpers/ledger.js'

const texts = ['plain ascii', 'Grüße aus Köln', '日本語のログ', 'emoji 🚀🔥 and a ZWJ 👩‍💻', 'Ελληνικά, русский, עברית']

describe('logstash output: frames on the wire', () => {
  for (const compressionLevel of [0, 3]) {
    it(`round-trips multi-byte UTF-8 ${compressionLevel === 0 ? 'in plain 2J frames' : 'in compressed 2C frames'}`, async () => {
      const fake = await startFakeLogstash()
      const shipper = createShipper({
        output: { type: 'logstash', hosts: [fake.address], compressionLevel },
        batch: { maxEvents: 100, flushMs: 5 },
      })
      const n = 500
      const records = range(n).map((i) => JSON.stringify({ id: i, message: texts[i % texts.length], '@timestamp': '2026-11-24T10:00:00.000Z' }))
      for (const r of records) expect(shipper.writeRecord(Buffer.from(r))).toBe(true)
      await shipper.flush()
      const state = await fake.state()
      expect(state.protocolErrors).toEqual([])
      // the data frames carry the records byte for byte
      expect(new Set(state.events.map((e) => e.raw))).toEqual(new Set(records))
      expect(distinctIds(state)).toEqual(range(n))
      if (compressionLevel === 0) {
        expect(state.compressedFrames).toBe(0)
        expect(state.jsonFrames).toBe(state.events.length)
      } else {
        expect(state.compressedFrames).toBe(state.windows.length)
      }
      const s = shipper.stats()
      expect(s).toMatchObject({ acked: n, failed: 0, dropped: 0 })
      expectLedgerBalanced(s)
      await shipper.close()
    })
  }

  it('starts with windows of 10 events and grows them by half up to bulkMaxSize', async () => {
    const fake = await startFakeLogstash()
    const shipper = createShipper({
      output: { type: 'logstash', hosts: [fake.address], bulkMaxSize: 100, pipelining: 0 },
      batch: { maxEvents: 2000, flushMs: 5 },
      thread: 'main',
    })
    const n = 1500
    for (let i = 0; i < n; i++) shipper.write({ id: i })
    await shipper.flush()
    const state = await fake.state()
    expect(state.windows.slice(0, 8)).toEqual([10, 15, 23, 35, 53, 80, 100, 100])
    expect(Math.max(...state.windows)).toBe(100)
    expect(distinctIds(state)).toEqual(range(n))
    expect(userEvents(state)).toHaveLength(n)
    await shipper.close()
  })

  it('refuses bad options with the key and what is allowed', () => {
    const bad = (output: Record<string, unknown>) => () => createShipper({ output: { type: 'logstash', hosts: ['127.0.0.1:5044'], ...output } as never, handleExit: false })
    expect(bad({ hosts: [] })).toThrow(/output\.hosts: .*at least one host/)
    expect(bad({ hosts: ['127.0.0.1:99999'] })).toThrow(/output\.hosts\[0\]: got "127.0.0.1:99999"; expected "host:port"/)
    expect(bad({ compressionLevel: 10 })).toThrow(/output\.compressionLevel: got 10; expected 0 to 9/)
    expect(bad({ bulkMaxSize: 20_000 })).toThrow(/output\.bulkMaxSize: got 20000; expected at most 10000/)
    expect(bad({ loadbalance: true })).toThrow(OptionError)
  })
})
