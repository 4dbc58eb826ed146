import { describe, expect } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { mkdtempSync, mkdirSync, readFileSync, truncateSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createShipper, type ShipperStats } from 'logship'
import { scanFrames } from '../../src/spill/frame.js'
import { listSegments } from '../../src/spill/spill-dir.js'
import { startSink } from '../helpers/sink.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const tmp = (): string => {
  mkdirSync(join(ROOT, '.tmp'), { recursive: true })
  return mkdtempSync(join(ROOT, '.tmp', 'spill-prop-'))
}
const DOWN = 'http://127.0.0.1:9/ingest' // nothing listens: connections are refused

const balanced = (s: ShipperStats): boolean => s.acked + s.dropped + s.sampledOut + s.failed + s.queuedEvents + s.inFlightEvents === s.received

function open(dir: string, url: string) {
  const shipper = createShipper({
    output: { type: 'http', url },
    thread: 'main',
    retry: { initialDelayMs: 5, maxDelayMs: 20 },
    closeTimeoutMs: 0,
    handleExit: false,
    batch: { flushMs: 5 },
    queue: { durable: true, spill: { dir, segmentBytes: 1024, fsync: 'never' } },
  })
  shipper.on('error', () => {})
  return shipper
}

/** Ids of the records of a segment file whose frames end at or before `at`, and of those after. */
function splitAt(path: string, at: number): { kept: number[]; cut: number[] } {
  const kept: number[] = []
  const cut: number[] = []
  const bytes = readFileSync(path)
  scanFrames(bytes, bytes.length, (item) => {
    if (item.kind !== 'record') return
    const id = (JSON.parse(item.payload.toString('utf8')) as { id: number }).id
    ;(item.end <= at ? kept : cut).push(id)
  })
  return { kept, cut }
}

const step = fc.record({
  appends: fc.integer({ min: 0, max: 30 }),
  pad: fc.integer({ min: 0, max: 200 }),
  /** Where in the last segment the crash tears it (a fraction of its size), or no crash. */
  crashAt: fc.option(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { nil: undefined }),
})

describe('durable spill under appends, crashes and restarts (property)', () => {
  test.prop([fc.array(step, { minLength: 1, maxLength: 8 })], { numRuns: 60 })(
    'every record before the crash point is delivered at least once, and every run’s ledger adds up',
    async (steps) => {
      const dir = join(tmp(), 'spill')
      const surviving = new Set<number>()
      let id = 0
      for (const { appends, pad, crashAt } of steps) {
        const shipper = open(dir, DOWN)
        for (let i = 0; i < appends; i++, id++) if (shipper.write({ id, pad: 'p'.repeat(pad) })) surviving.add(id)
        expect(balanced(shipper.stats()), JSON.stringify(shipper.stats())).toBe(true)
        await shipper.close()
        if (crashAt === undefined) continue
        const last = listSegments(dir).at(-1)
        if (!last || last.size === 0) continue
        const at = Math.floor(crashAt * last.size)
        for (const lost of splitAt(last.path, at).cut) surviving.delete(lost)
        truncateSync(last.path, at)
      }
      const sink = await startSink()
      const shipper = open(dir, sink.url)
      await shipper.flush()
      const stats = shipper.stats()
      await shipper.close()
      const delivered = new Set((await sink.events()).map((e) => e.id as number))
      for (const kept of surviving) expect(delivered.has(kept), `record ${kept} was before the crash point but was not delivered`).toBe(true)
      expect(balanced(stats), JSON.stringify(stats)).toBe(true)
      expect(stats.acked + stats.droppedByReason.corrupt).toBe(stats.received)
      expect(stats.spilledEvents).toBe(0)
    },
  )
})
