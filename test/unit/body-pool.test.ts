import { describe, expect, it } from 'vitest'
import { BodyPool } from '../../src/outputs/elasticsearch/body-pool.js'

describe('BodyPool (reused _bulk bodies)', () => {
  it('never hands out memory it did not allocate, such as a slice of a shared slab', () => {
    const pool = new BodyPool(4)
    const slab = Buffer.alloc(256 * 1024, 0x61) // stands in for Node's shared allocation slab
    pool.release(slab.subarray(100, 600))
    const body = pool.take(1000)
    body.fill(0x62)
    expect(body.buffer).not.toBe(slab.buffer)
    expect(slab.every((b) => b === 0x61)).toBe(true)
  })

  it('gives a released body out again, but never to two takers at once', () => {
    const pool = new BodyPool(4)
    const first = pool.take(100 * 1024)
    pool.release(first.subarray(0, 10))
    pool.release(first) // twice, by mistake
    const a = pool.take(100 * 1024)
    const b = pool.take(100 * 1024)
    expect(a.buffer).toBe(first.buffer)
    expect(b.buffer).not.toBe(a.buffer)
  })

  it('keeps at most its limit of free bodies', () => {
    const pool = new BodyPool(1)
    const x = pool.take(70 * 1024)
    const y = pool.take(70 * 1024)
    pool.release(x)
    pool.release(y)
    expect(pool.take(70 * 1024).buffer).toBe(x.buffer)
    expect(pool.take(70 * 1024).buffer).not.toBe(y.buffer)
  })
})
