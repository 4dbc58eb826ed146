import { describe, it, expect, afterEach } from 'vitest'
import { startFakeElasticsearch, type FakeElasticsearch } from '../helpers/fake-elasticsearch.js'
import { esOptions, expectExactlyOnce, range, ship } from '../helpers/es-shipping.js'
import { expectLedgerBalanced } from '../helpers/ledger.js'

const INDEX = 'logs-logship-default'
let es: FakeElasticsearch

afterEach(async () => {
  await es?.close()
})

// The engine's rule: an attempt that delivered anything is not a failed attempt. Progress
// resets the retry count and the backoff; maxRetries counts attempts in a row without progress.
describe('retries count only attempts that made no progress', () => {
  it('delivers a batch that progresses on every attempt, however many attempts it takes, with maxRetries 2', async () => {
    es = await startFakeElasticsearch()
    es.faults.storePerRequest = 3 // every request stores 3 events and answers 429 for the rest
    const run = await ship(esOptions(es.urls, {}, { batch: { maxEvents: 30, flushMs: 5 }, retry: { initialDelayMs: 5, maxDelayMs: 60_000, maxRetries: 2 } }), 90)
    expectExactlyOnce(es, INDEX, range(90))
    expect(run.stats).toMatchObject({ acked: 90, failed: 0 })
    expect(run.deadLetters).toEqual([])
    expectLedgerBalanced(run.stats)
  })
})
