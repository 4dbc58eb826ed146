import { describe, it, expect } from 'vitest'
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createShipper } from 'logship'
import { startSink } from '../helpers/sink.js'
import { expectLedgerBalanced } from '../helpers/ledger.js'

describe('dead-letter file caps (deadLetter.maxBytes, deadLetter.maxFiles)', () => {
  it('rotates at maxBytes, keeps maxFiles files, and counts every dead letter it discarded', async () => {
    const sink = await startSink()
    await sink.setMode({ failStatus: 400, failNext: -1 }) // every event refused for good
    const dir = mkdtempSync(join(tmpdir(), 'logship-dl-cap-'))
    const path = join(dir, 'dead.ndjson')
    const shipper = createShipper({
      output: { type: 'http', url: sink.url },
      retry: { initialDelayMs: 5, maxDelayMs: 20 },
      deadLetter: { path, maxBytes: 4096, maxFiles: 3 },
      batch: { maxEvents: 10, flushMs: 5 },
      handleExit: false,
    })
    const errors: string[] = []
    shipper.on('error', (e) => errors.push(e.message))
    const n = 500
    for (let i = 0; i < n; i++) shipper.write({ i, pad: 'd'.repeat(60) })
    await shipper.flush()
    await shipper.close()
    const s = shipper.stats()
    expect(s.failed).toBe(n)
    expectLedgerBalanced(s)
    const files = readdirSync(dir).sort()
    expect(files).toEqual(['dead.ndjson', 'dead.ndjson.1', 'dead.ndjson.2'])
    for (const f of files) expect(statSync(join(dir, f)).size, f).toBeLessThanOrEqual(4096)
    const kept = files.flatMap((f) => readFileSync(join(dir, f), 'utf8').trim().split('\n')).map((l) => (JSON.parse((JSON.parse(l) as { event: string }).event) as { i: number }).i)
    expect(kept.length + s.deadLetterDiscarded).toBe(n)
    expect(s.deadLetterDiscarded).toBeGreaterThan(0)
    // the newest dead letters are the ones kept
    expect([...kept].sort((a, b) => a - b)).toEqual(Array.from({ length: kept.length }, (_, k) => n - kept.length + k))
    expect(errors.some((m) => /discarded \d+ dead-lettered events: .*deadLetter\.maxFiles = 3/.test(m))).toBe(true)
  })
})
