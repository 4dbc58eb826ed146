import { afterEach, describe, expect, it } from 'vitest'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createShipper, type LogshipError } from 'logship'
import { startFakeElasticsearch, type FakeElasticsearch } from '../helpers/fake-elasticsearch.js'
import { esOptions, expectExactlyOnce, range, ship } from '../helpers/es-shipping.js'
import { waitFor } from '../helpers/wait.js'

const INDEX = 'logs-logship-default'
let es: FakeElasticsearch
let dir: string | undefined

afterEach(async () => {
  await es?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
  dir = undefined
})

/** Starts a shipper that cannot get anywhere, waits for its first error, and closes it. */
async function firstError(options: Parameters<typeof createShipper>[0]): Promise<LogshipError> {
  const shipper = createShipper({ ...options, closeTimeoutMs: 200 })
  const errors: LogshipError[] = []
  shipper.on('error', (e) => errors.push(e))
  shipper.write({ msg: 'hello' })
  await waitFor(() => errors.length > 0, 'an error event')
  await shipper.close()
  return errors[0]!
}

describe('elasticsearch output: hosts', () => {
  it('the failover host takes over when one dies, and every event still arrives once', async () => {
    es = await startFakeElasticsearch({ nodes: 2 })
    const shipper = createShipper(esOptions(es.urls, { idempotent: true }))
    shipper.on('error', () => {})
    for (let n = 0; n < 200; n++) shipper.write({ n })
    await shipper.flush()
    // round-robin: both nodes took bulk requests
    expect(new Set(es.requests.map((r) => r.node))).toEqual(new Set([0, 1]))
    await es.killNode(0)
    const before = es.requests.length
    for (let n = 200; n < 400; n++) shipper.write({ n })
    await shipper.flush()
    await shipper.close()
    expectExactlyOnce(es, INDEX, range(400))
    expect(es.requests.slice(before).every((r) => r.node === 1)).toBe(true)
  })

  it('a dead host among several is skipped', async () => {
    es = await startFakeElasticsearch({ nodes: 2 })
    await es.killNode(1)
    const run = await ship(esOptions([es.urls[1]!, es.urls[0]!, es.urls[1]!]), 150)
    expectExactlyOnce(es, INDEX, range(150))
    expect(run.stats).toMatchObject({ acked: 150, failed: 0 })
  })

  it('with every host down, events wait (counted in flight) and go out when a host returns', async () => {
    es = await startFakeElasticsearch()
    const url = es.urls[0]!
    await es.close()
    const shipper = createShipper(esOptions([url]))
    const errors: LogshipError[] = []
    shipper.on('error', (e) => errors.push(e))
    for (let n = 0; n < 50; n++) shipper.write({ n })
    await waitFor(() => errors.length > 0, 'a connection error')
    expect(errors[0]!.message).toMatch(/ECONNREFUSED.*retrying with backoff, events stay queued/)
    expect(shipper.stats().acked).toBe(0)
    es = await startFakeElasticsearch({ ports: [Number(new URL(url).port)] })
    await shipper.flush()
    await shipper.close()
    expectExactlyOnce(es, INDEX, range(50))
  })
})

describe('elasticsearch output: version check and credentials', () => {
  it('refuses a server that is not Elasticsearch, in plain words', async () => {
    es = await startFakeElasticsearch({ product: 'other' })
    const error = await firstError(esOptions(es.urls))
    expect(error.code).toBe('LOGSHIP_ERR_OUTPUT_FATAL')
    expect(error.message).toMatch(/this is not an Elasticsearch server: GET \/ answered HTTP 200/)
    expect(es.requests).toEqual([]) // no bulk request was sent
  })

  it('refuses an unsupported major version', async () => {
    es = await startFakeElasticsearch({ version: '6.8.23' })
    const error = await firstError(esOptions(es.urls))
    expect(error.message).toMatch(/Elasticsearch 6\.8\.23 is not supported; logship needs Elasticsearch 7\.x or newer/)
  })

  it('wrong credentials are fatal and say what to check; the password never shows', async () => {
    const right = { username: 'elastic', password: 's3cret-pw' }
    es = await startFakeElasticsearch({ authorization: `Basic ${Buffer.from('elastic:s3cret-pw').toString('base64')}` })
    const error = await firstError(esOptions(es.urls, { auth: { ...right, password: 'wrong-pw' } }))
    expect(error.code).toBe('LOGSHIP_ERR_OUTPUT_FATAL')
    expect(error.message).toMatch(/refused the credentials.*check the output's auth/)
    expect(error.message).not.toMatch(/wrong-pw/)
    await ship(esOptions(es.urls, { auth: right }), 20)
    expectExactlyOnce(es, INDEX, range(20))
  })
})

describe('elasticsearch output: events', () => {
  it('pino records get @timestamp from their numeric time; date placeholders follow @timestamp', async () => {
    es = await startFakeElasticsearch()
    const shipper = createShipper(esOptions(es.urls, { index: 'logs-app-%{+yyyy.MM.dd}' }))
    shipper.on('error', () => {})
    shipper.writeRecord(Buffer.from('{"level":30,"time":1700000000123,"msg":"from pino"}'))
    shipper.write({ '@timestamp': '2024-02-29T12:00:00.000Z', msg: 'leap day' })
    await shipper.close()
    expect(es.docs('logs-app-2023.11.14').map((d) => d.raw)).toEqual(['{"@timestamp":"2023-11-14T22:13:20.123Z","level":30,"time":1700000000123,"msg":"from pino"}'])
    expect(es.docs('logs-app-2024.02.29').map((d) => d.source.msg)).toEqual(['leap day'])
    expect(es.requests.every((r) => r.path === '/_bulk')).toBe(true)
  })

  it('deadLetter.path still works with the elasticsearch output', async () => {
    es = await startFakeElasticsearch()
    es.faults.mappingError = (source) => source.bad !== undefined
    dir = await mkdtemp(join(tmpdir(), 'logship-es-'))
    const path = join(dir, 'dead.ndjson')
    const run = await ship(esOptions(es.urls, {}, { deadLetter: { path } }), 30, (n) => (n % 10 === 0 ? { bad: 'x' } : {}))
    const lines = (await readFile(path, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { reason: string; status: number; event: string })
    expect(lines.map((l) => (JSON.parse(l.event) as { n: number }).n).sort((a, b) => a - b)).toEqual([0, 10, 20])
    expect(lines.every((l) => l.status === 400 && l.reason.startsWith('document_parsing_exception: '))).toBe(true)
    expect(run.stats).toMatchObject({ acked: 27, failed: 3 })
  })

  it('options are checked up front with clear messages', () => {
    expect(() => createShipper({ output: { type: 'elasticsearch' }, handleExit: false } as never)).toThrow(/output\.hosts: .*expected hosts .* or cloudId/)
    expect(() => createShipper({ output: { type: 'elasticsearch', hosts: ['ftp://x'] }, handleExit: false })).toThrow(/output\.hosts\[0\].*http:\/\/ or https:\/\//)
    expect(() => createShipper({ output: { type: 'elasticsearch', hosts: ['http://127.0.0.1:9'], index: 'logs-%{+yyyy.ww}' }, handleExit: false })).toThrow(
      /output\.index.*unknown date field/,
    )
    expect(() => createShipper({ output: { type: 'elasticsearch', cloudId: 'nope' }, handleExit: false })).toThrow(/output\.cloudId.*Elastic Cloud ID/)
    expect(() => createShipper({ output: { type: 'http', url: 'http://127.0.0.1:9' }, deadLetter: { index: 'dl' }, handleExit: false })).toThrow(
      /deadLetter\.index.*elasticsearch can/,
    )
  })
})
