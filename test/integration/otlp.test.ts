import { afterEach, describe, expect, it } from 'vitest'
import { createShipper, type ShipperOptions } from 'logship'
import { startFakeOtlp, type FakeOtlp } from '../helpers/fake-otlp.js'
import { ship, range } from '../helpers/es-shipping.js'
import { expectLedgerBalanced } from '../helpers/ledger.js'
import { waitFor } from '../helpers/wait.js'

let otlp: FakeOtlp

afterEach(async () => {
  await otlp?.close()
})

/** Options for shipping to the fake collector fast: small batches, short retry delays. */
function otlpOptions(endpoint: string, output: Record<string, unknown> = {}, rest: Partial<ShipperOptions> = {}): ShipperOptions {
  return {
    output: { type: 'otlp', endpoint, ...output } as ShipperOptions['output'],
    batch: { maxEvents: 40, flushMs: 20 },
    retry: { initialDelayMs: 10, maxDelayMs: 200 },
    closeTimeoutMs: 20_000,
    handleExit: false,
    ...rest,
  }
}

/** Every n in `expected` was stored exactly once, and nothing else was. */
function expectStoredOnce(fake: FakeOtlp, expected: readonly number[]): void {
  const counts = new Map<number, number>()
  for (const n of fake.ns()) counts.set(n, (counts.get(n) ?? 0) + 1)
  const duplicated = [...counts].filter(([, c]) => c > 1).map(([n]) => n)
  const missing = expected.filter((n) => !counts.has(n))
  const extra = [...counts.keys()].filter((n) => !expected.includes(n))
  expect({ duplicated, missing, extra }).toEqual({ duplicated: [], missing: [], extra: [] })
}

describe('otlp output: delivery', () => {
  it('ships every event once as gzip protobuf to /v1/logs, mapped to LogRecords', async () => {
    otlp = await startFakeOtlp()
    const run = await ship(otlpOptions(otlp.url, { resource: { 'service.name': 'checkout' } }), 300, (n) => ({
      level: n % 2 ? 'warn' : 'info',
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
    }))
    expectStoredOnce(otlp, range(300))
    expect(run.errors).toEqual([])
    expect(run.stats).toMatchObject({ acked: 300, failed: 0 })
    expect(otlp.requests.length).toBeGreaterThan(1)
    expect(otlp.requests.every((r) => r.path === '/v1/logs' && r.gzip && r.contentType === 'application/x-protobuf' && r.status === 200)).toBe(true)
    const log = otlp.logs.find((l) => l.attributes.n === 7)!
    expect(log).toMatchObject({ body: 'event number 7', severityNumber: 13, severityText: 'warn', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', scope: { name: 'logship' } })
    expect(log.resource['service.name']).toBe('checkout')
    expect(typeof log.resource['host.name']).toBe('string')
    // the engine stamps @timestamp on events without a time: it became timeUnixNano
    expect(BigInt(log.timeUnixNano)).toBeGreaterThan(0n)
    expect(BigInt(log.observedTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(log.timeUnixNano) - 1_000_000_000n)
  })

  it('encoding json without compression: the same records as OTLP/JSON', async () => {
    otlp = await startFakeOtlp()
    const run = await ship(otlpOptions(otlp.url, { encoding: 'json', compression: false }), 120)
    expectStoredOnce(otlp, range(120))
    expect(run.stats).toMatchObject({ acked: 120, failed: 0 })
    expect(otlp.requests.every((r) => !r.gzip && r.contentType === 'application/json')).toBe(true)
    expect(otlp.logs[5]).toMatchObject({ body: 'event number 5', severityNumber: 0 })
  })

  it('sends the configured headers; a collector refusing the credentials is a fatal error that says what to check', async () => {
    otlp = await startFakeOtlp({ authorization: 'Bearer right' })
    const good = await ship(otlpOptions(otlp.url, { headers: { Authorization: 'Bearer right' } }), 30)
    expect(good.stats).toMatchObject({ acked: 30 })
    const shipper = createShipper(otlpOptions(otlp.url, { headers: { authorization: 'Bearer wrong' } }, { closeTimeoutMs: 0 }))
    const errors: Error[] = []
    shipper.on('error', (e) => errors.push(e))
    shipper.write({ msg: 'x' })
    await waitFor(() => errors.length > 0, 'an error event')
    expect(errors[0]!.message).toMatch(/HTTP 401: the collector refused the credentials; check the output's headers.*missing or wrong credentials/)
    expect(errors[0]!.message).not.toContain('wrong"')
    await shipper.close()
    expect(shipper.stats().acked).toBe(0)
  })
})

describe('otlp output under faults', () => {
  it.each([
    { encoding: 'protobuf', status: 429, retryAfter: '0' },
    { encoding: 'json', status: 503, retryAfter: undefined },
    { encoding: 'protobuf', status: 502, retryAfter: undefined },
    { encoding: 'protobuf', status: 504, retryAfter: '0' },
  ])('$status answers ($encoding, Retry-After $retryAfter) are retried until every event is stored once', async ({ encoding, status, retryAfter }) => {
    otlp = await startFakeOtlp()
    otlp.faults.failRequests = { status, count: 3, ...(retryAfter === undefined ? {} : { retryAfter }) }
    const run = await ship(otlpOptions(otlp.url, { encoding }), 200)
    expectStoredOnce(otlp, range(200))
    expect(otlp.requests.filter((r) => r.status === status)).toHaveLength(3)
    expect(run.stats).toMatchObject({ acked: 200, failed: 0 })
    expect(run.stats.retried).toBeGreaterThan(0)
    expect(run.errors.length).toBeGreaterThan(0)
    expect(run.errors.every((e) => e.message.includes(`HTTP ${status}`))).toBe(true)
  })

  it('Retry-After is honoured: the retry comes no sooner than the collector asked (up to retry.maxDelayMs)', async () => {
    otlp = await startFakeOtlp()
    otlp.faults.failRequests = { status: 429, count: 1, retryAfter: '1' }
    const shipper = createShipper(otlpOptions(otlp.url, {}, { retry: { initialDelayMs: 1, maxDelayMs: 5000 } }))
    shipper.on('error', () => {})
    shipper.write({ n: 1, msg: 'a' })
    await shipper.flush()
    await shipper.close()
    expect(otlp.ns()).toEqual([1])
    const [refused, stored] = otlp.requests
    expect([refused!.status, stored!.status]).toEqual([429, 200])
    // a lower bound only (the engine may wait longer, never shorter)
    expect(stored!.at - refused!.at).toBeGreaterThanOrEqual(1000)
  })

  it('partial_success: rejected records are dead-lettered with the collector message and counted; nothing is lost', async () => {
    otlp = await startFakeOtlp()
    otlp.faults.reject = (log) => (log.attributes.n as number) % 50 === 7
    otlp.faults.rejectMessage = 'attribute limit exceeded'
    const run = await ship(otlpOptions(otlp.url), 200)
    const stored = new Set(otlp.ns())
    const dead = run.deadLetters.flatMap((d) => d.events.map((e) => (JSON.parse(e) as { n: number }).n))
    // OTLP says how many, not which: the records of a request with rejections are all dead-lettered
    for (const n of range(200)) expect(stored.has(n) || dead.includes(n), `event ${n}`).toBe(true)
    for (const n of [7, 57, 107, 157]) expect(dead).toContain(n)
    expect(otlp.rejected).toBe(4)
    expect(run.stats.failed).toBe(dead.length)
    expect(run.deadLetters.every((d) => /the collector rejected 1 of the \d+ log records of this request without saying which \(attribute limit exceeded\)/.test(d.reason))).toBe(
      true,
    )
    expectLedgerBalanced(run.stats)
  })

  it('partial_success rejecting a whole request dead-letters exactly its records', async () => {
    otlp = await startFakeOtlp()
    otlp.faults.reject = () => true
    const run = await ship(otlpOptions(otlp.url, { encoding: 'json' }), 30)
    expect(otlp.logs).toEqual([])
    expect(run.stats).toMatchObject({ acked: 0, failed: 30 })
    expect(run.deadLetters.every((d) => d.reason.startsWith('the collector rejected the log records (rejected by the fake collector)'))).toBe(true)
  })

  it('400 on a poison record: the batch is bisected, only that record is dead-lettered with the reason, the rest stored once', async () => {
    otlp = await startFakeOtlp()
    otlp.faults.poison = (log) => log.attributes.n === 17
    const run = await ship(otlpOptions(otlp.url), 100)
    expectStoredOnce(
      otlp,
      range(100).filter((n) => n !== 17),
    )
    const dead = run.deadLetters.flatMap((d) => d.events.map((e) => JSON.parse(e) as { n: number }))
    expect(dead.map((e) => e.n)).toEqual([17])
    expect(run.deadLetters[0]!.reason).toMatch(/HTTP 400: the request holds a record the collector cannot take/)
    expect(run.stats).toMatchObject({ acked: 99, failed: 1 })
  })

  it('413: batches are halved until they fit, each event stored once', async () => {
    otlp = await startFakeOtlp()
    otlp.faults.maxBodyBytes = 1500
    await ship(otlpOptions(otlp.url, { compression: false }), 120)
    expectStoredOnce(otlp, range(120))
    expect(otlp.requests.some((r) => r.status === 413)).toBe(true)
    expect(otlp.requests.filter((r) => r.status === 200).every((r) => r.wireBytes <= 1500)).toBe(true)
  })

  it('a collector that is down: health says so with the reason; it comes back and everything arrives once', async () => {
    otlp = await startFakeOtlp()
    const url = otlp.url
    otlp.faults.failRequests = { status: 503, count: 1_000_000 }
    const shipper = createShipper(otlpOptions(url))
    shipper.on('error', () => {})
    for (let n = 0; n < 50; n++) shipper.write({ n, msg: `event ${n}` })
    const down = (await waitFor(async () => (await shipper.health()).find((h) => !h.up), 'the endpoint to be reported down'))!
    expect(down).toMatchObject({ host: `${url}/v1/logs`, up: false })
    expect(down.lastError).toMatch(/HTTP 503/)
    otlp.faults.failRequests = undefined
    await shipper.flush()
    expect(await shipper.health()).toEqual([{ host: `${url}/v1/logs`, up: true, failures: 0 }])
    await shipper.close()
    expectStoredOnce(otlp, range(50))
  })
})

describe('otlp output: a 200 that is not an OTLP answer', () => {
  it.each([
    { encoding: 'protobuf', contentType: 'text/html', body: '<html><body>It works!</body></html>' },
    { encoding: 'json', contentType: 'application/json', body: 'OK' },
  ])('$encoding, $contentType: the error says the endpoint is not an OTLP receiver; the events are sent again and stored once', async ({ encoding, contentType, body }) => {
    otlp = await startFakeOtlp()
    otlp.faults.notOtlpOk = { count: 2, contentType, body }
    const run = await ship(otlpOptions(otlp.url, { encoding }), 100)
    expectStoredOnce(otlp, range(100))
    expect(run.stats).toMatchObject({ acked: 100, failed: 0 })
    expect(run.errors.length).toBeGreaterThan(0)
    expect(run.errors[0]!.message).toMatch(
      new RegExp(
        `HTTP 200 with a body that is not an OTLP ExportLogsServiceResponse \\(content-type ${contentType.replace('/', '\\/')}: .*\\); is output\\.endpoint an OTLP/HTTP receiver`,
      ),
    )
  })
})
