import { afterEach, describe, expect, it } from 'vitest'
import { startFakeElasticsearch, type FakeElasticsearch } from '../helpers/fake-elasticsearch.js'
import { esOptions, expectExactlyOnce, range, ship } from '../helpers/es-shipping.js'
import { waitFor } from '../helpers/wait.js'

const INDEX = 'logs-logship-default'
let es: FakeElasticsearch

afterEach(async () => {
  await es?.close()
})

describe('elasticsearch output: delivery', () => {
  it('ships every event once as gzip NDJSON to the default index, with @timestamp and filter_path', async () => {
    es = await startFakeElasticsearch()
    const run = await ship(esOptions(es.urls), 300)
    expectExactlyOnce(es, INDEX, range(300))
    expect(run.errors).toEqual([])
    expect(run.stats).toMatchObject({ acked: 300, failed: 0 })
    const bulks = es.requests
    expect(bulks.length).toBeGreaterThan(1)
    expect(bulks.every((r) => r.gzip && r.path === `/${INDEX}/_bulk` && r.query.get('filter_path') === 'errors,items.*.error,items.*.status')).toBe(true)
    for (const doc of es.docs(INDEX)) expect(Date.parse(doc.source['@timestamp'] as string)).not.toBeNaN()
    expect(es.infoRequests).toBe(1) // the version check, once
  })

  it('sends plain bodies with compression: false, and index ops when dataStream is false', async () => {
    es = await startFakeElasticsearch()
    await ship(esOptions(es.urls, { compression: false, dataStream: false, index: 'app', pipeline: 'p1' }), 50)
    expectExactlyOnce(es, 'app', range(50))
    expect(es.requests.every((r) => !r.gzip && r.query.get('pipeline') === 'p1')).toBe(true)
    expect(es.docs('app').every((d) => d.id.length > 10)).toBe(true)
  })
})

// every fault, in both modes where exactly-once is possible without logship's ids
describe.each([{ idempotent: false }, { idempotent: true }])('elasticsearch output under faults (idempotent: $idempotent)', ({ idempotent }) => {
  it('a share of items answered 429: only those are re-sent, each event stored once', async () => {
    es = await startFakeElasticsearch()
    es.faults.itemRejectRate = 0.3
    const run = await ship(esOptions(es.urls, { idempotent }), 400)
    expectExactlyOnce(es, INDEX, range(400))
    expect(es.resentAfterStored).toBe(0) // succeeded items were never sent again
    expect(run.stats.retried).toBeGreaterThan(0)
    expect(run.stats).toMatchObject({ acked: 400, failed: 0 })
  })

  it('whole requests answered 429 and 503 are retried (Retry-After honoured) until stored once', async () => {
    es = await startFakeElasticsearch()
    es.faults.failRequests = { status: 429, count: 3, retryAfter: '0' }
    const run = await ship(esOptions(es.urls, { idempotent }), 200)
    expectExactlyOnce(es, INDEX, range(200))
    expect(es.requests.filter((r) => r.outcome === 429)).toHaveLength(3)
    es.indices.clear()
    es.faults.failRequests = { status: 503, count: 4 }
    await ship(esOptions(es.urls, { idempotent }), 200)
    expectExactlyOnce(es, INDEX, range(200))
    expect(es.requests.filter((r) => r.outcome === 503)).toHaveLength(4)
    expect(run.errors.every((e) => /HTTP 429/.test(e.message))).toBe(true)
  })

  it('413 above a body size: batches are halved until they fit, each event stored once', async () => {
    es = await startFakeElasticsearch()
    es.faults.maxBodyBytes = 1500
    await ship(esOptions(es.urls, { idempotent, compression: false }), 120)
    expectExactlyOnce(es, INDEX, range(120))
    expect(es.requests.some((r) => r.outcome === 413)).toBe(true)
    expect(es.requests.filter((r) => r.outcome === 200).every((r) => r.wireBytes <= 1500)).toBe(true)
  })

  it('slow replies: everything arrives once', async () => {
    es = await startFakeElasticsearch()
    es.faults.delayMs = 150
    await ship(esOptions(es.urls, { idempotent }), 200)
    expectExactlyOnce(es, INDEX, range(200))
  })

  it('items refused with 400 go to the dead-letter index with their reasons, never retried; the rest is stored once', async () => {
    es = await startFakeElasticsearch()
    es.faults.itemRejectRate = 0.2
    es.faults.mappingError = (source) => source.bad !== undefined
    const isBad = (n: number): boolean => n % 7 === 3
    const run = await ship(esOptions(es.urls, { idempotent }, { deadLetter: { index: 'logship-dead-letter' } }), 210, (n) => (isBad(n) ? { bad: `oops${n}` } : {}))
    const good = range(210).filter((n) => !isBad(n))
    const bad = range(210).filter(isBad)
    expectExactlyOnce(es, INDEX, good)
    expect(es.resentAfterStored).toBe(0)
    const dead = es.docs('logship-dead-letter').map((d) => d.source as { event: { original: string }; error: { type: string; message: string; code: string } })
    expect(dead.map((d) => (JSON.parse(d.event.original) as { n: number }).n).sort((a, b) => a - b)).toEqual(bad)
    for (const d of dead) {
      const event = JSON.parse(d.event.original) as { bad: string }
      expect(d.error).toEqual({ type: 'document_parsing_exception', code: '400', message: expect.stringContaining(`Preview of field's value: '${event.bad}'`) })
    }
    // each refused event was sent once: a 400 is not retried
    for (const [raw, times] of es.received) if (raw.includes('"bad"')) expect(times).toBe(1)
    expect(run.stats).toMatchObject({ acked: good.length, failed: bad.length })
    expect(run.deadLetters.reduce((sum, d) => sum + d.count, 0)).toBe(bad.length)
    expect(run.errors).toEqual([])
  })
})

describe('elasticsearch output: lost replies', () => {
  it('idempotent mode: a reply lost after the server stored the batch leaves no duplicates', async () => {
    es = await startFakeElasticsearch()
    es.faults.resetAfterStore = 3
    const run = await ship(esOptions(es.urls, { idempotent: true }), 300)
    expect(es.requests.filter((r) => r.outcome === 'reset')).toHaveLength(3)
    expect(es.resentAfterStored).toBeGreaterThan(0) // the lost batches really were sent again ...
    expectExactlyOnce(es, INDEX, range(300)) // ... and answered 409, which counts as stored
    expect(run.stats).toMatchObject({ acked: 300, failed: 0 })
  })

  it('idempotent mode: a reply that comes after the timeout leaves no duplicates either', async () => {
    es = await startFakeElasticsearch()
    es.faults.delayMs = 1500
    const options = esOptions(es.urls, { idempotent: true, timeoutMs: 300 })
    const shipping = ship(options, 100)
    await waitFor(() => es.requests.length >= 2, 'two timed-out bulk requests')
    es.faults.delayMs = 0
    const run = await shipping
    expectExactlyOnce(es, INDEX, range(100))
    expect(run.stats.acked).toBe(100)
  })

  it('without idempotent mode the same lost reply does store duplicates (why idempotent mode exists)', async () => {
    es = await startFakeElasticsearch()
    es.faults.resetAfterStore = 1
    await ship(esOptions(es.urls, { idempotent: false }, { batch: { maxEvents: 500, flushMs: 20 } }), 50)
    expect(es.docs(INDEX).length).toBeGreaterThan(50)
  })
})
