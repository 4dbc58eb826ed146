import { describe, it, expect, onTestFinished } from 'vitest'
import { createServer } from 'node:net'
import { createShipper, type Shipper, type ShipperOptions } from 'logship'
import { startSink, allEvents, isLossMarker } from '../helpers/sink.js'
import { startFakeElasticsearch } from '../helpers/fake-elasticsearch.js'
import { waitFor } from '../helpers/wait.js'
import { freePort } from '../helpers/ports.js'
import { parsePrometheus } from '../helpers/prometheus.js'

function shipper(options: ShipperOptions): Shipper {
  const s = createShipper({ handleExit: false, closeTimeoutMs: 1000, ...options })
  onTestFinished(() => s.close())
  return s
}

async function endpoint(s: Shipper): Promise<string> {
  const url = await s.httpUrl()
  if (!url) throw new Error('the stats endpoint is not listening')
  return url
}

async function scrape(url: string): Promise<Map<string, number>> {
  const res = await fetch(`${url}/metrics`)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
  return parsePrometheus(await res.text())
}

async function healthz(url: string): Promise<{ status: number; body: { status: string; reasons: string[]; warnings: string[] } }> {
  const res = await fetch(`${url}/healthz`)
  return { status: res.status, body: (await res.json()) as never }
}

describe('metrics endpoint', () => {
  it('counts known traffic exactly: acked, failed (dead-lettered), dropped by reason, sends', async () => {
    const sink = await startSink()
    const s = shipper({ output: { type: 'http', url: sink.url }, http: { port: 0 }, batch: { flushMs: 10 } })
    const url = await endpoint(s)

    for (let i = 0; i < 10; i++) s.write({ i })
    await s.flush()
    // every request refused while these 5 are sent (they may go in more than one batch)
    await sink.setMode({ failStatus: 409, failNext: -1 })
    for (let i = 0; i < 5; i++) s.write({ refused: i })
    await s.flush()
    await sink.setMode({ failStatus: 0, failNext: 0 })
    s.writeRecord(new Uint8Array(0)) // invalid: counted, never shipped
    s.writeRecord(new Uint8Array(0))
    await s.flush()
    await waitFor(async () => (await sink.events()).length === 10, 'the 10 accepted events at the sink')
    // the marker reporting the 2 invalid events is cut lazily: wait for it too, then for its ack
    await waitFor(async () => (await allEvents(sink)).some(isLossMarker), 'the loss marker at the sink')
    await waitFor(() => s.stats().inFlightBatches === 0, 'every batch to settle (the loss marker included)')

    const m = await scrape(url)
    expect(m.get('logship_events_received_total')).toBe(17)
    expect(m.get('logship_events_accepted_total')).toBe(15)
    expect(m.get('logship_events_acked_total')).toBe(10)
    expect(m.get('logship_events_failed_total')).toBe(5)
    expect(m.get('logship_events_dropped_total{reason="invalid"}')).toBe(2)
    expect(m.get('logship_events_dropped_total{reason="queue_full"}')).toBe(0)
    expect(m.get('logship_events_sampled_out_total')).toBe(0)
    expect(m.get('logship_events_retried_total')).toBe(0)
    expect(m.get('logship_queue_events')).toBe(0)
    expect(m.get('logship_in_flight_batches')).toBe(0)
    expect(m.get('logship_queue_fill_ratio')).toBe(0)
    expect(m.get('logship_output_failing')).toBe(0)
    // every request the sink saw is one send in the latency histogram
    const requests = await sink.requests()
    expect(m.get('logship_output_send_duration_seconds_count')).toBe(requests)
    expect(m.get('logship_output_send_duration_seconds_bucket{le="+Inf"}')).toBe(requests)
    const host = `logship_output_host_up{output="${s.outputName}",host="${s.outputName}"}`
    expect(m.get(host)).toBe(1)
    expect(m.get('logship_process_resident_memory_bytes')).toBeGreaterThan(0)

    // /stats is stats() as JSON, with the output's name and hosts
    const stats = (await (await fetch(`${url}/stats`)).json()) as Record<string, unknown> & { output: { name: string; hosts: unknown[] }; sendLatency: { count: number } }
    expect(stats).toMatchObject({ received: 17, accepted: 15, acked: 10, failed: 5, dropped: 2, droppedByReason: { invalid: 2 } })
    expect(stats.output.name).toBe(s.outputName)
    expect(stats.output.hosts).toEqual([{ host: s.outputName, up: true, failures: 0 }])
    expect(stats.sendLatency.count).toBe(requests)
    expect((await healthz(url)).status).toBe(200)
    expect((await fetch(`${url}/nope`)).status).toBe(404)
  })

  it('/healthz turns 503 while the sink stalls and 200 when it recovers', async () => {
    const sink = await startSink()
    await sink.setMode({ stall: true })
    const s = shipper({ output: { type: 'http', url: sink.url, timeoutMs: 120_000 }, http: { port: 0, stallMs: 300 }, batch: { flushMs: 10 } })
    const url = await endpoint(s)
    expect((await healthz(url)).status).toBe(200)
    s.write({ msg: 'stuck' })
    const unhealthy = (await waitFor(async () => {
      const h = await healthz(url)
      return h.status === 503 ? h : undefined
    }, '/healthz to answer 503')) as { status: number; body: { status: string; reasons: string[] } }
    expect(unhealthy.body.status).toBe('unhealthy')
    expect(unhealthy.body.reasons.join('\n')).toMatch(/has not answered a request for \d+\.\d s/)
    expect((await scrape(url)).get('logship_output_waiting_seconds')).toBeGreaterThan(0)

    await sink.setMode({ stall: false })
    await s.flush()
    await waitFor(async () => (await healthz(url)).status === 200, '/healthz to answer 200 again')
    expect((await sink.events()).map((e) => e.msg)).toEqual(['stuck'])
  })

  it('/healthz says the output is failing while it answers 503, and the queue is above its watermark', async () => {
    const sink = await startSink()
    await sink.setMode({ failStatus: 503, failNext: -1 })
    const s = shipper({
      output: { type: 'http', url: sink.url },
      http: { port: 0, maxQueueFill: 0.5 },
      queue: { maxBytes: 64 * 1024 },
      retry: { initialDelayMs: 10, maxDelayMs: 50 },
      batch: { flushMs: 10, maxEvents: 10 },
      thread: 'main',
    })
    s.on('error', () => {})
    const url = await endpoint(s)
    const filler = 'x'.repeat(1000)
    for (let i = 0; i < 40; i++) s.write({ i, filler })
    const failing = (await waitFor(async () => {
      const h = await healthz(url)
      return h.body.reasons.length === 2 ? h : undefined
    }, 'both reasons in /healthz')) as { status: number; body: { status: string; reasons: string[] } }
    expect(failing.status).toBe(503)
    expect(failing.body.reasons[0]).toMatch(/^the output http\(http:\/\/127\.0\.0\.1:\d+\/ingest\) is failing \(.*HTTP 503.*\); events stay queued and are retried$/)
    expect(failing.body.reasons[1]).toMatch(/^the queue is \d+(\.\d)?% full \(unhealthy from 50%, http\.maxQueueFill\)$/)
    const m = await scrape(url)
    expect(m.get('logship_output_failing')).toBe(1)
    expect(m.get(`logship_output_host_up{output="${s.outputName}",host="${s.outputName}"}`)).toBe(0)
    expect(m.get('logship_events_retried_total')).toBeGreaterThan(0)

    await sink.setMode({ failStatus: 0, failNext: 0 })
    await s.flush()
    const ok = (await waitFor(async () => {
      const h = await healthz(url)
      return h.status === 200 ? h : undefined
    }, '/healthz to recover')) as { status: number; body: { status: string; reasons: string[] } }
    expect(ok.body.reasons).toEqual([])
    expect((await sink.events()).length).toBe(40)
  })

  it('reports each Elasticsearch host: a dead node is down, the live one up, and /healthz warns without failing', async () => {
    const es = await startFakeElasticsearch()
    onTestFinished(() => es.close())
    const dead = await freePort()
    const s = shipper({
      output: { type: 'elasticsearch', hosts: [`http://127.0.0.1:${dead}`, es.urls[0]!], hostBackoffMs: 60_000 },
      http: { port: 0 },
      batch: { flushMs: 10 },
    })
    const url = await endpoint(s)
    for (let i = 0; i < 3; i++) {
      s.write({ i })
      await s.flush()
    }
    const m = await scrape(url)
    const label = (host: string): string => `{output="${s.outputName}",host="${host}"}`
    expect(m.get(`logship_output_host_up${label(`http://127.0.0.1:${dead}`)}`)).toBe(0)
    expect(m.get(`logship_output_host_failures${label(`http://127.0.0.1:${dead}`)}`)).toBe(1)
    expect(m.get(`logship_output_host_up${label(es.urls[0]!)}`)).toBe(1)
    expect(m.get('logship_events_acked_total')).toBe(3)
    const h = await healthz(url)
    expect(h.status).toBe(200)
    expect(h.body.warnings.join('\n')).toMatch(new RegExp(`1 of 2 hosts are down.*127\\.0\\.0\\.1:${dead}: GET / failed: .*ECONNREFUSED`))
  })

  it('a port in use is reported as an error and shipping goes on without the endpoint', async () => {
    const taken = createServer().listen(0, '127.0.0.1')
    await new Promise((resolve) => taken.once('listening', resolve))
    onTestFinished(() => void taken.close())
    const port = (taken.address() as { port: number }).port
    const sink = await startSink()
    const s = shipper({ output: { type: 'http', url: sink.url }, http: { port }, batch: { flushMs: 10 } })
    const errors: { code: string; message: string }[] = []
    s.on('error', (e) => errors.push(e))
    expect(await s.httpUrl()).toBeUndefined()
    expect(errors).toHaveLength(1)
    expect(errors[0]!.code).toBe('LOGSHIP_ERR_HTTP')
    expect(errors[0]!.message).toMatch(new RegExp(`cannot serve stats on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE.*choose another http\\.port`))
    s.write({ still: 'shipped' })
    await s.flush()
    expect((await sink.events()).map((e) => e.still)).toEqual(['shipped'])
  })
})
