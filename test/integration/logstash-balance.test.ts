import { describe, it, expect } from 'vitest'
import { createShipper } from 'logship'
import { startFakeLogstash, distinctIds, userEvents, range, type FakeLogstashState } from '../helpers/fake-logstash.js'
import { expectLedgerBalanced } from '../helpers/ledger.js'
import { waitFor } from '../helpers/wait.js'

const fast = { initialDelayMs: 20, maxDelayMs: 200 }
const ids = (...states: FakeLogstashState[]) => [...new Set(states.flatMap((s) => userEvents(s).map((e) => e.id as number)))].sort((a, b) => a - b)
const tick = () => new Promise((r) => setTimeout(r, 5))

describe('logstash output: several nodes', () => {
  it('loses nothing when one of two nodes dies mid-stream', async () => {
    const a = await startFakeLogstash({ mode: { ackDelayMs: 10 } })
    const b = await startFakeLogstash({ mode: { ackDelayMs: 10 } })
    const shipper = createShipper({
      output: { type: 'logstash', hosts: [a.address, b.address], backoff: fast },
      batch: { maxEvents: 50, flushMs: 5 },
      retry: { initialDelayMs: 20, maxDelayMs: 200 },
    })
    const n = 3000
    let i = 0
    for (; i < 1000; i++) {
      shipper.write({ id: i })
      if (i % 50 === 0) await tick()
    }
    await waitFor(async () => userEvents(await a.state()).length > 200 && userEvents(await b.state()).length > 200, 'both nodes receiving')
    await a.kill()
    const atKill = userEvents(await b.state()).length
    for (; i < n; i++) {
      shipper.write({ id: i })
      if (i % 50 === 0) await tick()
    }
    await shipper.flush()
    const [sa, sb] = [await a.state(), await b.state()]
    expect(ids(sa, sb)).toEqual(range(n))
    expect(userEvents(sb).length - atKill).toBeGreaterThanOrEqual(n - 1000)
    const s = shipper.stats()
    // the dead node's unacknowledged windows went to the other node inside the same send:
    // the engine never had to retry a batch
    expect(s).toMatchObject({ acked: n, failed: 0, dropped: 0, retried: 0 })
    expectLedgerBalanced(s)
    await shipper.close()
  })

  it('sends most events to the node that acknowledges ten times faster', async () => {
    const quick = await startFakeLogstash({ mode: { ackDelayMs: 15 } })
    const slow = await startFakeLogstash({ mode: { ackDelayMs: 150 } })
    const shipper = createShipper({
      output: { type: 'logstash', hosts: [slow.address, quick.address], bulkMaxSize: 100 },
      batch: { maxEvents: 100, flushMs: 5 },
      queue: { maxBytes: '8mb' },
    })
    const n = 6000
    for (let i = 0; i < n; i++) shipper.write({ id: i })
    await shipper.flush()
    const [q, s] = [await quick.state(), await slow.state()]
    expect(ids(q, s)).toEqual(range(n))
    const quickShare = userEvents(q).length / (userEvents(q).length + userEvents(s).length)
    expect(quickShare).toBeGreaterThan(0.75)
    expect(userEvents(s).length).toBeGreaterThan(0)
    await shipper.close()
  })

  it('with loadBalance: false, uses one node and fails over to the next', async () => {
    const a = await startFakeLogstash()
    const b = await startFakeLogstash()
    const shipper = createShipper({
      output: { type: 'logstash', hosts: [a.address, b.address], loadBalance: false, backoff: fast },
      batch: { maxEvents: 50, flushMs: 5 },
      retry: { initialDelayMs: 20, maxDelayMs: 200 },
    })
    for (let i = 0; i < 500; i++) shipper.write({ id: i })
    await shipper.flush()
    const first = userEvents(await a.state()).length > 0 ? a : b
    const second = first === a ? b : a
    expect(userEvents(await first.state())).toHaveLength(500)
    expect(userEvents(await second.state())).toHaveLength(0)
    await first.kill()
    for (let i = 500; i < 1000; i++) shipper.write({ id: i })
    await shipper.flush()
    expect(ids(await first.state(), await second.state())).toEqual(range(1000))
    expect(distinctIds(await second.state())).toEqual(range(500).map((k) => 500 + k))
    await shipper.close()
  })

  it('opens `workers` connections per host and spreads windows over them', async () => {
    const fake = await startFakeLogstash({ mode: { ackDelayMs: 30 } })
    const shipper = createShipper({
      output: { type: 'logstash', hosts: [fake.address], workers: 3 },
      batch: { maxEvents: 20, flushMs: 5 },
    })
    for (let i = 0; i < 600; i++) shipper.write({ id: i })
    await shipper.flush()
    const state = await fake.state()
    expect(state.connections).toBe(3)
    expect(distinctIds(state)).toEqual(range(600))
    await shipper.close()
  })

  it('reopens connections after ttlMs once their windows are acknowledged, without resending', async () => {
    const fake = await startFakeLogstash({ mode: { ackDelayMs: 20 } })
    const shipper = createShipper({
      output: { type: 'logstash', hosts: [fake.address], ttlMs: 50 },
      batch: { maxEvents: 20, flushMs: 5 },
    })
    // ship in rounds until the connection has been replaced twice (bounded)
    let n = 0
    for (let round = 0; round < 500 && (await fake.state()).connections < 3; round++) {
      for (let k = 0; k < 10; k++) shipper.write({ id: n++ })
      await shipper.flush()
    }
    const state = await fake.state()
    expect(state.connections).toBeGreaterThanOrEqual(3)
    expect(userEvents(state)).toHaveLength(n)
    expect(distinctIds(state)).toEqual(range(n))
    expect(shipper.stats().retried).toBe(0)
    await shipper.close()
  })
})
