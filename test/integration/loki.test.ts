import { afterEach, describe, expect, it } from 'vitest'
import { createShipper, type ShipperOptions } from 'logship'
import { startFakeLoki, type FakeLoki } from '../helpers/fake-loki.js'
import { ship, range } from '../helpers/es-shipping.js'
import { expectLedgerBalanced } from '../helpers/ledger.js'
import { waitFor } from '../helpers/wait.js'

let loki: FakeLoki

afterEach(async () => {
  await loki?.close()
})

function lokiOptions(url: string, output: Record<string, unknown> = {}, rest: Partial<ShipperOptions> = {}): ShipperOptions {
  return {
    output: { type: 'loki', url, ...output } as ShipperOptions['output'],
    batch: { maxEvents: 40, flushMs: 20 },
    retry: { initialDelayMs: 10, maxDelayMs: 200 },
    closeTimeoutMs: 20_000,
    handleExit: false,
    ...rest,
  }
}

const nOf = (line: string): number => (JSON.parse(line) as { n: number }).n

function expectStoredOnce(fake: FakeLoki, expected: readonly number[]): void {
  const counts = new Map<number, number>()
  for (const line of fake.lines()) counts.set(nOf(line), (counts.get(nOf(line)) ?? 0) + 1)
  const duplicated = [...counts].filter(([, c]) => c > 1).map(([n]) => n)
  const missing = expected.filter((n) => !counts.has(n))
  const extra = [...counts.keys()].filter((n) => !expected.includes(n))
  expect({ duplicated, missing, extra }).toEqual({ duplicated: [], missing: [], extra: [] })
}

describe('loki output: delivery', () => {
  it('ships every event once as snappy protobuf, streams from label templates, entries in time order, tenant and auth headers', async () => {
    loki = await startFakeLoki({ authorization: `Basic ${Buffer.from('u:p').toString('base64')}`, tenants: true })
    const base = Date.parse('2026-01-01T00:00:00Z')
    // times run backwards within each batch: the output must sort them per stream
    const run = await ship(
      lokiOptions(loki.url, { labels: { job: 'shop', level: '{level}', service: '{service.name}' }, tenant: 'team-a', auth: { username: 'u', password: 'p' } }),
      300,
      (n) => ({ level: n % 3 === 0 ? 'error' : 'info', service: { name: 'cart' }, '@timestamp': new Date(base + (1000 - n) * 1000).toISOString() }),
    )
    expect(run.errors).toEqual([])
    expectStoredOnce(loki, range(300))
    expect(run.stats).toMatchObject({ acked: 300, failed: 0 })
    expect(new Set(loki.entries.map((e) => e.labelText))).toEqual(new Set(['{job="shop", level="error", service="cart"}', '{job="shop", level="info", service="cart"}']))
    expect(loki.entries.every((e) => e.tenant === 'team-a')).toBe(true)
    expect(loki.requests.every((r) => r.contentType === 'application/x-protobuf' && r.contentEncoding === '' && r.status === 204)).toBe(true)
    for (const request of loki.requests)
      for (const stream of request.streams) expect(stream.ts.map(BigInt)).toEqual([...stream.ts.map(BigInt)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
    const seven = loki.entries.find((e) => nOf(e.line) === 7)!
    expect(JSON.parse(seven.line)).toMatchObject({ n: 7, msg: 'event number 7', level: 'info' })
    expect(seven.ts).toBe(`${BigInt(base + 993 * 1000) * 1_000_000n}`)
  })

  it('json encoding (gzip), a bearer token and structured metadata: the same entries', async () => {
    loki = await startFakeLoki({ authorization: 'Bearer t0k' })
    const run = await ship(lokiOptions(loki.url, { encoding: 'json', auth: { bearer: 't0k' }, structuredMetadata: { trace_id: '{trace_id}' } }), 120, (n) =>
      n % 2 ? { trace_id: `t${n}` } : {},
    )
    expectStoredOnce(loki, range(120))
    expect(run.stats).toMatchObject({ acked: 120, failed: 0 })
    expect(loki.requests.every((r) => r.contentType === 'application/json' && r.contentEncoding === 'gzip')).toBe(true)
    expect(loki.entries.every((e) => e.labelText === '{job="logship"}')).toBe(true)
    expect(loki.entries.find((e) => nOf(e.line) === 3)!.metadata).toEqual({ trace_id: 't3' })
    expect(loki.entries.find((e) => nOf(e.line) === 4)!.metadata).toEqual({})
  })

  it('the cardinality guard: past maxStreams label sets, events go to the overflow stream and an error event counts them', async () => {
    loki = await startFakeLoki()
    const run = await ship(lokiOptions(loki.url, { labels: { job: 'app', user: '{user}' }, maxStreams: 3 }), 100, (n) => ({ user: `u${n % 10}` }))
    expectStoredOnce(loki, range(100))
    const streams = new Set(loki.entries.map((e) => e.labelText))
    expect(streams.size).toBe(4)
    expect(streams).toContain('{job="app", logship_overflow="true"}')
    const overflowed = loki.entries.filter((e) => e.labels.logship_overflow === 'true')
    expect(overflowed.every((e) => !['u0', 'u1', 'u2'].includes((JSON.parse(e.line) as { user: string }).user))).toBe(true)
    expect(overflowed).toHaveLength(70)
    expect(run.errors.map((e) => e.message)).toContainEqual(
      expect.stringMatching(/more than 3 distinct label sets \(output\.maxStreams\): 1 event\(s\) so far went to the overflow stream/),
    )
  })
})

describe('loki output under faults', () => {
  it.each([
    { status: 429, retryAfter: '0' },
    { status: 503, retryAfter: undefined },
  ])('$status answers are retried (Retry-After $retryAfter) until every event is stored once', async ({ status, retryAfter }) => {
    loki = await startFakeLoki()
    loki.faults.failRequests = { status, count: 3, ...(retryAfter === undefined ? {} : { retryAfter }) }
    const run = await ship(lokiOptions(loki.url), 200)
    expectStoredOnce(loki, range(200))
    expect(loki.requests.filter((r) => r.status === status)).toHaveLength(3)
    expect(run.stats).toMatchObject({ acked: 200, failed: 0 })
    expect(run.errors.every((e) => e.message.includes(`HTTP ${status}`))).toBe(true)
  })

  it('entries too far behind (out of order) are refused by Loki: only they are dead-lettered with its words, the rest stored once', async () => {
    loki = await startFakeLoki()
    loki.faults.windowMs = 60 * 60 * 1000
    const now = Date.now()
    const stale = (n: number): boolean => n >= 100 && n % 7 === 0
    // events 0..99 make the stream's newest time "now"; later ones every 7th from two hours ago
    const run = await ship(lokiOptions(loki.url, {}, { batch: { maxEvents: 40, flushMs: 20 } }), 200, (n) => ({
      '@timestamp': new Date(stale(n) ? now - 2 * 3600_000 : now + n).toISOString(),
    }))
    const refused = range(200).filter(stale)
    expectStoredOnce(
      loki,
      range(200).filter((n) => !stale(n)),
    )
    const dead = run.deadLetters.flatMap((d) => d.events.map((e) => nOf(e)))
    expect(dead.sort((a, b) => a - b)).toEqual(refused)
    expect(run.deadLetters.every((d) => /HTTP 400: entry with timestamp .* ignored, reason: 'entry too far behind/.test(d.reason))).toBe(true)
    expect(loki.duplicatesDropped).toBeGreaterThan(0) // the bisection re-sent stored entries: Loki dropped the copies
    expect(run.stats).toMatchObject({ acked: 200 - refused.length, failed: refused.length })
    expectLedgerBalanced(run.stats)
  })

  it('a line Loki refuses (400): only it is dead-lettered; 413 splits; nothing else is lost or doubled', async () => {
    loki = await startFakeLoki()
    loki.faults.poison = (line) => line.includes('"n":17,')
    loki.faults.maxBodyBytes = 400
    const run = await ship(lokiOptions(loki.url), 100)
    expectStoredOnce(
      loki,
      range(100).filter((n) => n !== 17),
    )
    expect(run.deadLetters.flatMap((d) => d.events.map(nOf))).toEqual([17])
    expect(loki.requests.some((r) => r.status === 413)).toBe(true)
  })

  it('wrong credentials are a fatal error that says what to check; health shows the endpoint down while Loki is unavailable', async () => {
    loki = await startFakeLoki({ authorization: 'Bearer right' })
    const shipper = createShipper(lokiOptions(loki.url, { auth: { bearer: 'wrong' } }, { closeTimeoutMs: 0 }))
    const errors: Error[] = []
    shipper.on('error', (e) => errors.push(e))
    shipper.write({ msg: 'x' })
    await waitFor(() => errors.length > 0, 'an error event')
    expect(errors[0]!.message).toMatch(/HTTP 401: Loki refused the credentials; check output\.auth, output\.tenant and output\.headers/)
    await shipper.close()

    loki.faults.failRequests = { status: 503, count: 1_000_000 }
    const second = createShipper(lokiOptions(loki.url, { auth: { bearer: 'right' } }))
    second.on('error', () => {})
    for (let n = 0; n < 30; n++) second.write({ n, msg: `e${n}` })
    const down = (await waitFor(async () => (await second.health()).find((h) => !h.up), 'the endpoint to be reported down'))!
    expect(down).toMatchObject({ host: `${loki.url}/loki/api/v1/push`, up: false, lastError: expect.stringMatching(/HTTP 503/) })
    loki.faults.failRequests = undefined
    await second.flush()
    expect((await second.health())[0]).toMatchObject({ up: true, failures: 0 })
    await second.close()
    expectStoredOnce(loki, range(30))
  })
})
