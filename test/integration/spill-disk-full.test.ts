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
  return mkdtempSync(join(ROOT, '.tmp', 'spill-full-'))
}
const DOWN = 'http://127.0.0.1:9/ingest' // nothing listens: connections are refused
const SCRIPT = 'small-disk-writer.mjs'
const WHILE_FULL = 1000
const AFTER = 500

// The disk fills mid-frame (a short write, then ENOSPC), space comes back, segments rotate.
describe('a spill disk that fills up and frees again (fs shim: short write, then ENOSPC)', () => {
  for (const thread of ['worker', 'main'] as const) {
    for (const failTruncate of [false, true]) {
      const how = failTruncate ? 'the torn frame cannot be cut off (ftruncate fails too)' : 'the torn frame is cut off'
      it(`thread: ${thread}, ${how}: every accepted record is delivered once, every refused one counted as spill_full`, async () => {
        const sink = await startSink()
        await sink.setMode({ stall: true })
        const child = startSpillChild(
          { url: sink.url, dir: join(tmp(), 'spill'), thread, capacity: 20 * 1024, failTruncate, whileFull: WHILE_FULL, after: AFTER, waitForGo: true },
          60_000,
          SCRIPT,
        )
        const accepted = await child.wrote
        await sink.setMode({ stall: false })
        child.go()
        const result = await child.result
        expect(result.shortWrites).toBeGreaterThan(0)
        expect(accepted.length).toBeLessThan(WHILE_FULL + AFTER)
        expect(accepted.filter((id) => id >= WHILE_FULL)).toHaveLength(AFTER) // space came back: all accepted
        expect(result.stats.droppedByReason.spill_full).toBe(WHILE_FULL + AFTER - accepted.length)
        expect(result.stats.droppedByReason.corrupt).toBe(0)
        expect(result.errors.some((m) => /ENOSPC/.test(m))).toBe(true)
        expect((await sink.events()).map((e) => e.id)).toEqual(accepted)
        expect(result.stats.acked).toBe(accepted.length)
        expectLedgerBalanced(result.stats)
      })
    }
  }

  for (const failTruncate of [false, true]) {
    it(`after a restart (${failTruncate ? 'ftruncate failing' : 'ftruncate working'}), every record accepted before it is delivered once`, async () => {
      const dir = join(tmp(), 'spill')
      const first = startSpillChild({ url: DOWN, dir, thread: 'worker', capacity: 20 * 1024, failTruncate, whileFull: WHILE_FULL, after: AFTER, flush: false }, 60_000, SCRIPT)
      const left = await first.result
      expect(left.stats.spilledEvents).toBe(left.accepted.length)
      const sink = await startSink()
      const second = startSpillChild({ url: sink.url, dir, thread: 'worker', durable: true, queueMaxBytes: 1024 * 1024, sizesMiB: [] })
      const replay = await second.result
      expect((await sink.events()).map((e) => e.id)).toEqual(left.accepted)
      expect(replay.stats).toMatchObject({ received: left.accepted.length, acked: left.accepted.length, dropped: 0, spilledEvents: 0 })
      expectLedgerBalanced(replay.stats)
    })
  }

  it("fsync: 'always' and fsync failing: the write fails (spill_full, reported), the record is not kept, later ones are", async () => {
    const sink = await startSink()
    await sink.setMode({ stall: true })
    const child = startSpillChild(
      {
        url: sink.url,
        dir: join(tmp(), 'spill'),
        thread: 'worker',
        fsync: 'always',
        capacity: Number.MAX_SAFE_INTEGER,
        failFsync: true,
        whileFull: 50,
        after: 50,
        waitForGo: true,
      },
      60_000,
      SCRIPT,
    )
    const accepted = await child.wrote
    expect(accepted).toEqual(Array.from({ length: 50 }, (_, i) => 50 + i))
    await sink.setMode({ stall: false })
    child.go()
    const result = await child.result
    expect(result.stats.droppedByReason.spill_full).toBe(50)
    expect(result.errors.some((m) => /cannot write to spill dir .*EIO.*f(data)?sync/.test(m))).toBe(true)
    expect((await sink.events()).map((e) => e.id)).toEqual(accepted)
    expectLedgerBalanced(result.stats)
  })

  it("fsync: 'interval' with fsync failing across segment rotations: reported, nothing refused, no descriptor leaked", async () => {
    const sink = await startSink()
    await sink.setMode({ stall: true })
    const child = startSpillChild(
      {
        url: sink.url,
        dir: join(tmp(), 'spill'),
        thread: 'worker',
        fsync: 'interval',
        capacity: Number.MAX_SAFE_INTEGER,
        failFsync: true,
        whileFull: 300,
        after: 50,
        waitForGo: true,
      },
      60_000,
      SCRIPT,
    )
    const accepted = await child.wrote
    expect(accepted).toHaveLength(350) // ~40 KB over 8 KiB segments: rotations while fsync fails
    await sink.setMode({ stall: false })
    child.go()
    const result = await child.result
    expect(result.errors.some((m) => /cannot fsync spill segment .*EIO/.test(m))).toBe(true)
    expect(result.openSegments).toBe(0)
    expect((await sink.events()).map((e) => e.id)).toEqual(accepted)
    expectLedgerBalanced(result.stats)
  })
})
