import { expect } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { windowPayloads } from '../helpers/lumberjack-frames.js'
import { WindowEncoder } from '../../src/outputs/logstash/encode-window.js'
import type { RecordLayout } from '../../src/outputs/output.js'

/**
 * An arena as the engine lays out a batch: records back to back, each followed by a newline,
 * after `lead` bytes of something else; `gaps` puts extra bytes between some records (a
 * retried subset of a batch sits in its arena with holes).
 */
function arenaOf(records: readonly Buffer[], lead: number, gaps: readonly number[]): RecordLayout {
  const parts: Buffer[] = [Buffer.alloc(lead, 0x41)]
  const starts = new Uint32Array(records.length)
  const lengths = new Uint32Array(records.length)
  let at = lead
  records.forEach((r, i) => {
    starts[i] = at
    lengths[i] = r.byteLength
    parts.push(r, Buffer.from('\n'), Buffer.alloc(gaps[i] ?? 0, 0x5a))
    at += r.byteLength + 1 + (gaps[i] ?? 0)
  })
  // trailing bytes past the last record must never be copied
  parts.push(Buffer.alloc(16, 0x7e))
  return { arena: Buffer.concat(parts), starts, lengths }
}

const record = fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes))

test.prop([
  fc.array(record, { minLength: 1, maxLength: 60 }),
  fc.nat({ max: 40 }),
  fc.array(fc.nat({ max: 3 }), { maxLength: 60 }),
  // windows: a range of the batch (what a fresh batch sends) or any picks in order
  fc.array(
    fc.oneof(
      fc.tuple(fc.nat(), fc.nat({ max: 60 })).map(([from, n]) => ({ from, n })),
      fc.array(fc.nat(), { minLength: 1, maxLength: 30 }),
    ),
    { minLength: 1, maxLength: 6 },
  ),
  fc.constantFrom(0, 1, 3),
])('frames written from an arena carry each record byte for byte, the same as from record views', async (records, lead, gaps, windows, level) => {
  const layout = arenaOf(records, lead, gaps)
  const encoder = new WindowEncoder(level, 2)
  for (const w of windows) {
    const indexes = Array.isArray(w) ? [...new Set(w.map((p) => p % records.length))].sort((a, b) => a - b) : rangeOf(w.from % records.length, Math.max(1, w.n), records.length)
    const fromLayout = await encoder.encode(layout, indexes)
    const payloads = windowPayloads(fromLayout.frames)
    expect(payloads.map((p) => p.toString('hex'))).toEqual(indexes.map((i) => records[i]!.toString('hex')))
    const fromViews = await new WindowEncoder(level, 0).encode(records, indexes)
    if (level === 0) expect(Buffer.concat(fromLayout.frames).equals(Buffer.concat(fromViews.frames))).toBe(true)
    fromLayout.written()
  }
})

function rangeOf(from: number, n: number, total: number): number[] {
  return Array.from({ length: Math.min(n, total - from) }, (_, k) => from + k)
}
