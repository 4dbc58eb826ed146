import { describe, it, expect } from 'vitest'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createShipper, type DeadLetterEvent, type LogshipError } from 'logship'
import { startSink } from '../helpers/sink.js'
import { expectLedgerBalanced } from '../helpers/ledger.js'
import { waitFor } from '../helpers/wait.js'
import { freePort } from '../helpers/ports.js'

const fast = { initialDelayMs: 5, maxDelayMs: 50 }

async function expectExactlyOnce(sink: { events(): Promise<Record<string, unknown>[]> }, n: number): Promise<void> {
  const ids = (await sink.events()).map((e) => e.i as number)
  expect(ids.length).toBe(n)
  expect(new Set(ids).size).toBe(n)
}

describe('retries', () => {
  it('retries after 503 replies and delivers everything exactly once, in order', async () => {
    const sink = await startSink()
    await sink.setMode({ failStatus: 503, failNext: 3 })
    const shipper = createShipper({ output: { type: 'http', url: sink.url }, retry: fast, batch: { maxEvents: 50, flushMs: 5 } })
    const errors: LogshipError[] = []
    shipper.on('error', (e) => errors.push(e))
    for (let i = 0; i < 500; i++) shipper.write({ i })
    await shipper.flush()
    await expectExactlyOnce(sink, 500)
    expect((await sink.events()).map((e) => e.i)).toEqual(Array.from({ length: 500 }, (_, i) => i))
    const s = shipper.stats()
    expect(s.retried).toBeGreaterThan(0)
    expect(s.acked).toBe(500)
    expect(errors[0]?.message).toMatch(/HTTP 503/)
    expectLedgerBalanced(s)
    await shipper.close()
  })

  it('keeps events queued while the connection is refused and delivers them once the sink comes up', async () => {
    const port = await freePort()
    const shipper = createShipper({ output: { type: 'http', url: `http://127.0.0.1:${port}/ingest` }, retry: fast, batch: { maxEvents: 100, flushMs: 5 } })
    const errors: LogshipError[] = []
    shipper.on('error', (e) => errors.push(e))
    for (let i = 0; i < 1000; i++) shipper.write({ i })
    await waitFor(() => shipper.stats().retried > 0, 'a retry')
    expect(errors[0]?.message).toMatch(/ECONNREFUSED/)
    const sink = await startSink(port)
    await shipper.flush()
    await expectExactlyOnce(sink, 1000)
    await shipper.close()
  })

  it('retries when the connection is reset before a reply', async () => {
    const sink = await startSink()
    await sink.setMode({ resetNext: 2 })
    const shipper = createShipper({ output: { type: 'http', url: sink.url }, retry: fast, batch: { maxEvents: 100, flushMs: 5 } })
    shipper.on('error', () => {})
    for (let i = 0; i < 300; i++) shipper.write({ i })
    await shipper.flush()
    await expectExactlyOnce(sink, 300)
    expect(shipper.stats().retried).toBeGreaterThan(0)
    await shipper.close()
  })

  it('splits a batch the sink calls too large (413) and delivers both halves', async () => {
    const sink = await startSink()
    await sink.setMode({ failStatus: 413, failNext: 1 })
    const shipper = createShipper({ output: { type: 'http', url: sink.url }, retry: fast, batch: { maxEvents: 1000, flushMs: 50 } })
    for (let i = 0; i < 200; i++) shipper.write({ i })
    await shipper.flush()
    await expectExactlyOnce(sink, 200)
    expect(await sink.requests()).toBeGreaterThanOrEqual(3)
    await shipper.close()
  })
})

describe('dead letters', () => {
  it('dead-letters a batch after maxRetries, with the reason, and counts it as failed', async () => {
    const sink = await startSink()
    await sink.setMode({ failStatus: 503, failNext: -1 })
    const dir = mkdtempSync(join(tmpdir(), 'logship-dl-'))
    const path = join(dir, 'dead.ndjson')
    const shipper = createShipper({ output: { type: 'http', url: sink.url }, retry: { ...fast, maxRetries: 2 }, deadLetter: { path }, batch: { maxEvents: 25, flushMs: 5 } })
    shipper.on('error', () => {})
    const dead: DeadLetterEvent[] = []
    shipper.on('dead-letter', (d) => dead.push(d))
    for (let i = 0; i < 100; i++) shipper.write({ i })
    await shipper.flush()
    const s = shipper.stats()
    expect(s).toMatchObject({ failed: 100, acked: 0 })
    expect(s.retried).toBe(200) // every event sent 3 times: 2 retries each
    expectLedgerBalanced(s)
    await shipper.close()
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { reason: string; event: string })
    expect(lines.map((l) => (JSON.parse(l.event) as { i: number }).i).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i))
    expect(lines[0]!.reason).toMatch(/retries exhausted.*HTTP 503/)
    expect(dead.reduce((n, d) => n + d.count, 0)).toBe(100)
    expect(await sink.requests()).toBe(12) // 4 batches x 3 attempts
  })

  it('dead-letters at once what the sink refuses for good (a 4xx other than 400/422), without retrying', async () => {
    const sink = await startSink()
    await sink.setMode({ failStatus: 409, failNext: 1 })
    const dir = mkdtempSync(join(tmpdir(), 'logship-dl-'))
    const path = join(dir, 'dead.ndjson')
    const shipper = createShipper({ output: { type: 'http', url: sink.url }, retry: fast, deadLetter: { path }, batch: { maxEvents: 1000, flushMs: 20 } })
    for (let i = 0; i < 10; i++) shipper.write({ i })
    await shipper.flush()
    for (let i = 10; i < 20; i++) shipper.write({ i })
    await shipper.flush()
    expect(shipper.stats()).toMatchObject({ failed: 10, acked: 10, retried: 0 })
    await shipper.close()
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { reason: string; status: number })
    expect(lines).toHaveLength(10)
    expect(lines[0]).toMatchObject({ status: 409 })
    expect(lines[0]!.reason).toMatch(/HTTP 409/)
    expect((await sink.events()).map((e) => e.i)).toEqual(Array.from({ length: 10 }, (_, i) => i + 10))
  })
})
