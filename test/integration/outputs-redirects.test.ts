import { afterEach, describe, expect, it } from 'vitest'
import { createShipper, type LogshipError, type ShipperOptions } from 'logship'
import { startFakeElasticsearch, type FakeElasticsearch } from '../helpers/fake-elasticsearch.js'
import { startFakeLoki, type FakeLoki } from '../helpers/fake-loki.js'
import { startFakeOtlp, type FakeOtlp } from '../helpers/fake-otlp.js'
import { startSink } from '../helpers/sink.js'
import { esOptions, expectExactlyOnce, range, ship } from '../helpers/es-shipping.js'
import { expectLedgerBalanced } from '../helpers/ledger.js'
import { waitFor } from '../helpers/wait.js'

// A sink that answers a redirect has not refused the events: the URL is wrong (http:// to
// https://, a moved path, a load balancer). logship does not follow redirects (it would resend
// whole batches to wherever a server says, credentials included), so the events wait and the
// error says where the server points; nothing may be dead-lettered for it.

const fast = { batch: { maxEvents: 40, flushMs: 20 }, retry: { initialDelayMs: 10, maxDelayMs: 100 }, closeTimeoutMs: 20_000, handleExit: false }
const LOCATION = 'https://user:secret@elsewhere.example:9443/moved?token=abc'
const REDIRECTS = [301, 307]

let es: FakeElasticsearch | undefined
let loki: FakeLoki | undefined
let otlp: FakeOtlp | undefined

afterEach(async () => {
  await es?.close()
  await loki?.close()
  await otlp?.close()
  es = loki = otlp = undefined
})

function expectRedirectReported(run: Awaited<ReturnType<typeof ship>>, status: number): void {
  expect(run.deadLetters).toEqual([])
  expect(run.stats.failed).toBe(0)
  expectLedgerBalanced(run.stats)
  const messages = run.errors.map((e) => e.message)
  expect(messages.some((m) => m.includes(`HTTP ${status}`) && /redirects to https:\/\/elsewhere\.example:9443\/moved/.test(m) && /set the output's/.test(m))).toBe(true)
  // the credentials and query of the Location never show
  expect(messages.join('\n')).not.toMatch(/secret|token=abc/)
}

describe('a sink answering a redirect: the events wait, nothing is dead-lettered, the error says where it points', () => {
  it.each(REDIRECTS)('elasticsearch: bulk requests answered %i', async (status) => {
    es = await startFakeElasticsearch()
    es.faults.failRequests = { status, count: 3, location: LOCATION }
    const run = await ship(esOptions(es.urls), 120)
    expectExactlyOnce(es, 'logs-logship-default', range(120))
    expect(run.stats.acked).toBe(120)
    expectRedirectReported(run, status)
  })

  it.each(REDIRECTS)('loki: pushes answered %i', async (status) => {
    loki = await startFakeLoki()
    loki.faults.failRequests = { status, count: 3, location: LOCATION }
    const run = await ship({ output: { type: 'loki', url: loki.url } as ShipperOptions['output'], ...fast }, 120)
    expect(loki.lines()).toHaveLength(120)
    expect(run.stats.acked).toBe(120)
    expectRedirectReported(run, status)
  })

  it.each(REDIRECTS)('otlp: exports answered %i', async (status) => {
    otlp = await startFakeOtlp()
    otlp.faults.failRequests = { status, count: 3, location: LOCATION }
    const run = await ship({ output: { type: 'otlp', endpoint: otlp.url } as ShipperOptions['output'], ...fast }, 120)
    expect([...otlp.ns()].sort((a, b) => a - b)).toEqual(range(120))
    expect(run.stats.acked).toBe(120)
    expectRedirectReported(run, status)
  })

  it.each(REDIRECTS)('http: posts answered %i', async (status) => {
    const sink = await startSink()
    await sink.setMode({ failStatus: status, failNext: 3, location: LOCATION })
    const run = await ship({ output: { type: 'http', url: sink.url }, ...fast }, 120)
    expect((await sink.events()).map((e) => e.n)).toEqual(range(120))
    expect(run.stats.acked).toBe(120)
    expectRedirectReported(run, status)
  })
  it('elasticsearch: GET / (the version check) answered 301: the error says where it points, not that the server is not Elasticsearch', async () => {
    es = await startFakeElasticsearch()
    es.faults.redirectInfo = { status: 301, location: LOCATION }
    const shipper = createShipper(esOptions(es.urls, {}, { closeTimeoutMs: 200 }))
    const errors: LogshipError[] = []
    shipper.on('error', (e) => errors.push(e))
    shipper.write({ n: 0 })
    const error = (await waitFor(() => errors[0], 'an error'))!
    await shipper.close()
    expect(error.message).toMatch(/GET \/ answered HTTP 301: the server redirects to https:\/\/elsewhere\.example:9443\/moved; .*set the output's hosts/)
    expect(error.message).not.toMatch(/not an Elasticsearch server|secret|token=abc/)
  })
})
