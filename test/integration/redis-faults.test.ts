import { describe, it, expect } from 'vitest'
import { createShipper } from 'logship'
import { missingSoftware } from '../helpers/system-software.js'
import { startRedisServer } from '../helpers/redis.js'
import { tempDir } from '../helpers/cli.js'
import { expectLedgerBalanced } from '../helpers/ledger.js'
import { waitFor } from '../helpers/wait.js'
import { freePort } from '../helpers/ports.js'
import { testOutput } from '../../src/output-check/index.js'

const skip = missingSoftware('redis output faults (real redis-server)', ['redis-server'])

/** How often each id appears in the stored events. */
function idCounts(stored: readonly string[]): Map<number, number> {
  const counts = new Map<number, number>()
  for (const text of stored) {
    const id = (JSON.parse(text) as { id: number }).id
    counts.set(id, (counts.get(id) ?? 0) + 1)
  }
  return counts
}

function missing(counts: Map<number, number>, n: number): number[] {
  return Array.from({ length: n }, (_, i) => i).filter((i) => !counts.has(i))
}

describe.skipIf(skip)('redis output faults against a real redis-server', () => {
  for (const dataType of ['list', 'stream'] as const) {
    it(`${dataType}: redis-server killed (kill -9) and restarted mid-stream: every event is stored (at-least-once), none lost`, async () => {
      // appendfsync always: what Redis acknowledged is on disk before the reply, so the restarted server still has it
      const redis = await startRedisServer(tempDir(`redis-crash-${dataType}`), { durable: true })
      const shipper = createShipper({
        output: { type: 'redis', url: redis.url, key: 'logs', dataType, timeoutMs: 5000 },
        batch: { maxEvents: 200, flushMs: 5 },
        retry: { initialDelayMs: 20, maxDelayMs: 200 },
        queue: { maxBytes: 64 * 1024 * 1024 },
        thread: 'main',
        handleExit: false,
      })
      const errors: string[] = []
      shipper.on('error', (e) => errors.push(e.message))
      const admin = redis.admin()
      const count = () => (dataType === 'list' ? admin.llen('logs') : admin.xlen('logs'))
      const n = 30_000
      // writes go on in small steps while the server dies and comes back: batches are on the wire when it dies
      const writing = (async () => {
        for (let id = 0; id < n; id++) {
          expect(shipper.write({ id, message: `event ${id}` })).toBe(true)
          if (id % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 1))
        }
      })()
      await waitFor(async () => (await count().catch(() => 0)) > 2000, 'a part of the events to be stored')
      await redis.crashAndRestart()
      await writing
      await shipper.flush()
      const stored = dataType === 'list' ? await admin.lrange('logs', 0, -1) : (await admin.xrange('logs', '-', '+')).map(([, f]) => f[1]!)
      const counts = idCounts(stored)
      expect(missing(counts, n)).toEqual([])
      expect(counts.size).toBe(n)
      // duplicates are possible (a batch whose reply the crash swallowed is sent again), never losses
      expect(stored.length).toBeGreaterThanOrEqual(n)
      const s = shipper.stats()
      expect(s).toMatchObject({ acked: n, failed: 0, dropped: 0 })
      expectLedgerBalanced(s)
      expect(errors.some((m) => /redis\(redis:\/\/127\.0\.0\.1:\d+\/0\): .*(connection to .* was lost|closed the connection|refused the connection|loading)/.test(m))).toBe(true)
      await shipper.close()
    })
  }

  it('a server that hangs (SIGSTOP) makes batches time out and retry on a new connection; after SIGCONT everything is stored', async () => {
    const redis = await startRedisServer(tempDir('redis-hang'))
    const shipper = createShipper({
      output: { type: 'redis', url: redis.url, key: 'logs', timeoutMs: 300 },
      batch: { maxEvents: 50, flushMs: 5 },
      retry: { initialDelayMs: 10, maxDelayMs: 100 },
      thread: 'main',
      handleExit: false,
    })
    const errors: string[] = []
    shipper.on('error', (e) => errors.push(e.message))
    shipper.write({ id: -1 })
    await shipper.flush()
    redis.pause()
    const n = 500
    for (let i = 0; i < n; i++) shipper.write({ id: i })
    await waitFor(() => errors.some((m) => /did not answer within 300 ms; the connection is dropped and the batch sent again/.test(m)), 'a timeout error')
    expect((await shipper.health())[0]).toMatchObject({ up: false, lastError: expect.stringContaining('did not answer within 300 ms') })
    redis.resume()
    await shipper.flush()
    const counts = idCounts(await redis.admin().lrange('logs', 0, -1))
    expect(missing(counts, n)).toEqual([])
    expect(shipper.stats()).toMatchObject({ acked: n + 1, failed: 0, dropped: 0 })
    await shipper.close()
  })

  it('closing while the server hangs ends the shutdown (the unsent event is reported, not waited for forever)', async () => {
    const redis = await startRedisServer(tempDir('redis-hang-close'))
    const shipper = createShipper({ output: { type: 'redis', url: redis.url, key: 'logs' }, batch: { flushMs: 5 }, thread: 'main', handleExit: false, closeTimeoutMs: 200 })
    shipper.write({ id: 0 })
    await shipper.flush()
    redis.pause()
    shipper.write({ id: 1 })
    await shipper.close()
    const s = shipper.stats()
    expect(s.acked).toBe(1)
    expectLedgerBalanced(s)
    redis.resume()
    // a hang guard, not a timing assertion: output.timeoutMs (30 s by default) must not hold up close()
  }, 15_000)

  it('nothing listening: a retryable error that says so, and test output fails with the same words', async () => {
    const port = await freePort()
    const shipper = createShipper({
      output: { type: 'redis', url: `redis://127.0.0.1:${port}` },
      retry: { initialDelayMs: 10, maxDelayMs: 50 },
      batch: { flushMs: 5 },
      thread: 'main',
      handleExit: false,
      closeTimeoutMs: 0,
    })
    const errors: { code: string; message: string }[] = []
    shipper.on('error', (e) => errors.push(e as never))
    shipper.write({ n: 1 })
    await waitFor(() => errors.length > 0, 'an error event')
    expect(errors[0]).toMatchObject({
      code: 'LOGSHIP_ERR_OUTPUT',
      message: expect.stringMatching(/refused the connection \(ECONNREFUSED\): is redis-server running and listening on that port\?/),
    })
    await shipper.close()
    const check = await testOutput({
      type: 'redis',
      url: `redis://127.0.0.1:${port}`,
      key: 'logs',
      dataType: 'list',
      stream: { maxLen: 0, field: 'event' },
      maxInFlight: 1,
      timeoutMs: 2000,
    })
    expect(check.ok).toBe(false)
    expect(check.hosts[0]!.message).toMatch(/refused the connection \(ECONNREFUSED\)/)
  })

  // one key: each batch is one RPUSH; a date key over two days: each batch is a MULTI/EXEC of two RPUSHes, which OOM aborts whole
  for (const key of ['logs', 'logs-%{+yyyy.MM.dd}']) {
    it(`a full Redis (maxmemory, noeviction) answers OOM (key ${key}): the events wait and are retried with backoff, and are delivered once memory is freed`, async () => {
      const redis = await startRedisServer(tempDir('redis-oom'), { maxmemory: '4mb' })
      const admin = redis.admin()
      // fill most of the memory with something the test can free later
      const filler = 'x'.repeat(64 * 1024)
      for (let i = 0; ; i++) {
        const ok = await admin.set(`filler:${i}`, filler).then(
          () => true,
          () => false,
        )
        if (!ok) break
      }
      const shipper = createShipper({
        output: { type: 'redis', url: redis.url, key },
        batch: { maxEvents: 100, flushMs: 5 },
        retry: { initialDelayMs: 10, maxDelayMs: 100 },
        thread: 'main',
        handleExit: false,
      })
      const errors: string[] = []
      shipper.on('error', (e) => errors.push(e.message))
      const n = 2000
      const day = (i: number) => (i % 2 === 0 ? '2026-11-23' : '2026-11-24')
      for (let i = 0; i < n; i++) shipper.write({ '@timestamp': `${day(i)}T12:00:00.000Z`, id: i, pad: 'p'.repeat(200) })
      await waitFor(() => errors.some((m) => m.includes('OOM')), 'an OOM error')
      expect(errors.find((m) => m.includes('OOM'))).toMatch(
        /is full \(OOM command not allowed .*\): it stored nothing of this batch; logship keeps the events and retries with backoff\. Let the consumers drain "logs(-2026\.11\.2[34])?", raise maxmemory/,
      )
      expect((await shipper.health())[0]).toMatchObject({ up: false, lastError: expect.stringContaining('OOM') })
      expect(shipper.stats()).toMatchObject({ failed: 0, dropped: 0 })
      // free the memory: the retries go through
      await admin.flushdb()
      await shipper.flush()
      const keys = key === 'logs' ? ['logs'] : ['logs-2026.11.23', 'logs-2026.11.24']
      const stored = (await Promise.all(keys.map((k) => admin.lrange(k, 0, -1)))).flat()
      const counts = idCounts(stored)
      expect(missing(counts, n)).toEqual([])
      // OOM refuses a transaction as a whole: nothing of a refused batch was stored, so nothing is stored twice
      expect([...counts.values()].every((c) => c === 1)).toBe(true)
      expect(shipper.stats()).toMatchObject({ acked: n, failed: 0, dropped: 0 })
      expect((await shipper.health())[0]).toMatchObject({ up: true, failures: 0 })
      await shipper.close()
    })
  }
})
