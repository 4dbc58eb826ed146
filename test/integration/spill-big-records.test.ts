import { describe, it, expect } from 'vitest'
import { mkdtempSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSink } from '../helpers/sink.js'
import { startSpillChild } from '../helpers/spill-child.js'
import { expectLedgerBalanced } from '../helpers/ledger.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const tmp = (): string => {
  mkdirSync(join(ROOT, '.tmp'), { recursive: true })
  return mkdtempSync(join(ROOT, '.tmp', 'spill-big-'))
}
const DOWN = 'http://127.0.0.1:9/ingest' // nothing listens: connections are refused
const MiB = 1024 * 1024
const SIZES = [1, 4, 16, 1, 4, 16, 1, 4, 16]

async function deliveredSizes(sink: Awaited<ReturnType<typeof startSink>>): Promise<Map<number, number>> {
  const seen = new Map<number, number>()
  for (const e of await sink.events()) seen.set(e.id as number, Math.round(((e.pad as string).length + 64) / MiB))
  return seen
}

describe('records of 1, 4 and 16 MiB through the spill', () => {
  for (const thread of ['worker', 'main'] as const) {
    it(`durable, thread: ${thread}: a restart on the same dir delivers what a dead sink left, and new records live`, async () => {
      const dir = join(tmp(), 'spill')
      // First run: the sink is down; every record stays in the spill.
      const first = startSpillChild({ url: DOWN, dir, durable: true, thread, queueMaxBytes: 40 * MiB, sizesMiB: SIZES, flush: false, closeTimeoutMs: 200 })
      const left = await first.result
      expect(left.accepted).toEqual(SIZES.map((_, i) => i))
      expect(left.stats.spilledEvents).toBe(SIZES.length)
      // Second run on the same directory, sink up: the leftovers are shipped.
      const sink = await startSink()
      const second = startSpillChild({ url: sink.url, dir, durable: true, thread, queueMaxBytes: 40 * MiB, sizesMiB: [16, 1] })
      const replay = await second.result
      // ids restart at 0 in the second run: compare what arrived, in order
      const arrived = (await sink.events()).map((e) => [e.id, Math.round(((e.pad as string).length + 64) / MiB)])
      expect(arrived).toEqual([...SIZES.map((mib, id) => [id, mib]), [0, 16], [1, 1]])
      expect(replay.stats.acked).toBe(SIZES.length + 2)
      expect(replay.stats.dropped).toBe(0)
      expect(replay.stats.spilledEvents).toBe(0)
      expectLedgerBalanced(replay.stats)
    })

    it(`whenFull: spill, thread: ${thread}: records that overflow the ring into the spill are all delivered`, async () => {
      const dir = join(tmp(), 'spill')
      const sink = await startSink()
      await sink.setMode({ stall: true })
      const child = startSpillChild({ url: sink.url, dir, durable: false, thread, queueMaxBytes: 34 * MiB, sizesMiB: SIZES, waitForGo: true })
      const accepted = await child.wrote
      expect(accepted).toEqual(SIZES.map((_, i) => i))
      await sink.setMode({ stall: false })
      child.go()
      const result = await child.result
      expect(result.stats.acked).toBe(SIZES.length)
      expect(result.stats.dropped).toBe(0)
      expectLedgerBalanced(result.stats)
      const seen = await deliveredSizes(sink)
      expect([...seen.entries()].sort((a, b) => a[0] - b[0]).map(([, mib]) => mib)).toEqual(SIZES)
    })
  }
})
