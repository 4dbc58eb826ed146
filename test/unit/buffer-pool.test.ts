import { describe, expect, it } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { BufferPool, roundedSize } from '../../src/util/buffer-pool.js'

describe('BufferPool (batch arenas, _bulk bodies, Lumberjack windows)', () => {
  it('hands a buffer out again only once it was given back, and a double give-back through a lease does not duplicate it', () => {
    const pool = new BufferPool({ keep: 4 })
    const a = pool.lease(1000)
    const b = pool.lease(1000)
    expect(a.buffer.buffer).not.toBe(b.buffer.buffer)
    a.giveBack()
    a.giveBack()
    expect(pool.kept).toBe(1)
    const c = pool.lease(900)
    const d = pool.lease(900)
    expect(c.buffer.buffer).toBe(a.buffer.buffer)
    expect(d.buffer.buffer).not.toBe(a.buffer.buffer)
    c.giveBack()
    a.giveBack() // a stale lease: must not put c's buffer in the pool a second time
    expect(pool.kept).toBe(1)
  })

  it('never hands out memory it did not allocate, such as a slice of a shared slab', () => {
    const pool = new BufferPool({ keep: 4 })
    const slab = Buffer.alloc(256 * 1024, 0x61) // stands in for Node's shared allocation slab
    pool.give(slab.subarray(100, 600))
    const body = pool.take(1000)
    body.fill(0x62)
    expect(body.buffer).not.toBe(slab.buffer)
    expect(slab.every((x) => x === 0x61)).toBe(true)
  })

  it('takes back a view of its buffer as the whole buffer', () => {
    const pool = new BufferPool({ keep: 1 })
    const body = pool.take(100 * 1024)
    pool.give(body.subarray(0, 10))
    const again = pool.take(body.byteLength)
    expect(again.buffer).toBe(body.buffer)
    expect(again.byteLength).toBe(body.byteLength)
  })

  it('keeps no more than it was told, and no buffer above its size limit', () => {
    const pool = new BufferPool({ keep: 1, largest: 128 * 1024 })
    const big = pool.take(1 << 20)
    pool.give(big)
    expect(pool.kept).toBe(0)
    for (const b of [pool.take(10), pool.take(10)]) pool.give(b)
    expect(pool.kept).toBe(1)
  })

  it('does not keep the buffer of one huge record by default: it would stay pinned for the life of the shipper', () => {
    const pool = new BufferPool({ keep: 2 })
    const huge = pool.take(64 * 1024 * 1024)
    pool.give(huge)
    expect(pool.kept).toBe(0)
    const normal = pool.take(1024 * 1024)
    pool.give(normal)
    expect(pool.kept).toBe(1)
  })

  it('keeps full-size buffers after a slow start: the small first ones do not hold every place', () => {
    // A Lumberjack connection starts with windows of a few events: those buffers came back first.
    const pool = new BufferPool({ keep: 2 })
    const small = [pool.take(10_000), pool.take(100_000), pool.take(200_000)]
    for (const b of small) pool.give(b)
    const full = [pool.take(700_000), pool.take(700_000)]
    for (const b of full) pool.give(b)
    // steady state: every full-size request is served from the pool, none allocates
    for (let round = 0; round < 5; round++) {
      const taken = [pool.take(700_000), pool.take(700_000)]
      const fullOnes = new Set(full.map((b) => b.buffer))
      expect(taken.filter((b) => fullOnes.has(b.buffer))).toHaveLength(2)
      for (const b of taken) pool.give(b)
    }
  })

  it('rounds sizes up by at most an eighth (at least 64 KiB), but never past `largest` unless the request itself is larger', () => {
    const pool = new BufferPool({ keep: 2, largest: 300_000 })
    expect(pool.take(1).byteLength).toBe(64 * 1024)
    expect(pool.take(70_000).byteLength).toBe(72 * 1024) // steps of 8 KiB between 64 and 128 KiB
    expect(pool.take(298_000).byteLength).toBe(300_000) // 320 KiB rounded, capped
    expect(pool.take(400_000).byteLength).toBe(400_000)
  })

  test.prop([fc.integer({ min: 1, max: 1 << 30 })])(
    'a rounded size is at least the size, at most an eighth more (above 64 KiB), and the same for every size of its step',
    (size) => {
      const r = roundedSize(size)
      expect(r).toBeGreaterThanOrEqual(size)
      if (size > 64 * 1024) expect(r).toBeLessThanOrEqual(size * 1.125)
      expect(roundedSize(r)).toBe(r)
    },
  )

  test.prop([fc.array(fc.record({ size: fc.integer({ min: 1, max: 2_000_000 }), giveBack: fc.boolean() }), { maxLength: 40 }), fc.integer({ min: 0, max: 4 })])(
    'no buffer is held by two takers at once, every buffer is as large as asked, and the pool keeps at most `keep`',
    (requests, keep) => {
      const pool = new BufferPool({ keep })
      const held = new Set<ArrayBufferLike>()
      for (const { size, giveBack } of requests) {
        const buffer = pool.take(size)
        expect(buffer.byteLength).toBeGreaterThanOrEqual(size)
        expect(held.has(buffer.buffer)).toBe(false)
        held.add(buffer.buffer)
        if (giveBack) {
          held.delete(buffer.buffer)
          pool.give(buffer)
        }
        expect(pool.kept).toBeLessThanOrEqual(keep)
      }
    },
  )
})
