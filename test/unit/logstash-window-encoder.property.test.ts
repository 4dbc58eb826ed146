import { describe, expect, it } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { windowPayloads } from '../helpers/lumberjack-frames.js'
import { WindowEncoder } from '../../src/outputs/logstash/encode-window.js'
import { BufferPool } from '../../src/outputs/logstash/buffer-pool.js'

/** The records a window's frames carry. */
function recordsOf(frames: readonly Buffer[]): string[] {
  return windowPayloads(frames).map((p) => p.toString('latin1'))
}

const record = fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes))

describe('window encoder (properties)', () => {
  test.prop([
    fc.array(record, { minLength: 1, maxLength: 40 }),
    fc.array(fc.array(fc.nat(), { minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 8 }),
    fc.constantFrom(0, 1, 3),
    fc.array(fc.boolean(), { maxLength: 8 }),
  ])('every window carries exactly its records, in order, whatever buffers earlier windows gave back or still hold', async (records, windows, level, giveBack) => {
    const encoder = new WindowEncoder(level, 2)
    const held: { frames: readonly Buffer[]; expected: string[] }[] = []
    for (const [w, picks] of windows.entries()) {
      const indexes = picks.map((p) => p % records.length)
      const expected = indexes.map((i) => records[i]!.toString('latin1'))
      const encoded = await encoder.encode(records, indexes)
      expect(recordsOf(encoded.frames)).toEqual(expected)
      if (giveBack[w]) encoded.written()
      else held.push({ frames: encoded.frames, expected })
    }
    // windows not given back were not overwritten by later ones
    for (const { frames, expected } of held) expect(recordsOf(frames)).toEqual(expected)
  })
})

describe('buffer pool', () => {
  it('hands a buffer out again only once it was given back, and a double give-back does not duplicate it', () => {
    const pool = new BufferPool(4, 1 << 20)
    const a = pool.lease(1000)
    const b = pool.lease(1000)
    expect(a.buffer).not.toBe(b.buffer)
    a.giveBack()
    a.giveBack()
    expect(pool.kept).toBe(1)
    const c = pool.lease(900)
    const d = pool.lease(900)
    expect(c.buffer).toBe(a.buffer)
    expect(d.buffer).not.toBe(a.buffer)
    expect(c.buffer.byteLength).toBeGreaterThanOrEqual(900)
  })

  it('keeps no more than it was told, and no buffer above its size limit', () => {
    const pool = new BufferPool(1, 128 * 1024)
    const leases = [pool.lease(10), pool.lease(10), pool.lease(1 << 20)]
    for (const l of leases) l.giveBack()
    expect(pool.kept).toBe(1)
  })
})
