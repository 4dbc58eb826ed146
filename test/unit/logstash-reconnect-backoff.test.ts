import { describe, expect, it } from 'vitest'
import { ReconnectBackoff } from '../../src/outputs/logstash/reconnect-backoff.js'

const problem = { message: '127.0.0.1:5044 refused the connection (ECONNREFUSED)', config: false }

describe('reconnect backoff of a connection slot', () => {
  it('a connection that delivered nothing is a failure: down once, waits growing with each failure in a row', () => {
    const backoff = new ReconnectBackoff({ initialDelayMs: 100, maxDelayMs: 1000 })
    const waits: number[] = []
    const downs: boolean[] = []
    for (let i = 0; i < 6; i++) {
      backoff.attempting()
      const { delayMs, wentDown } = backoff.ended(problem)
      waits.push(delayMs)
      downs.push(wentDown)
    }
    expect(downs).toEqual([true, false, false, false, false, false])
    expect(backoff.down).toBe(true)
    expect(backoff.failures).toBe(6)
    expect(backoff.lastProblem).toBe(problem)
    for (const [i, wait] of waits.entries()) {
      expect(wait).toBeGreaterThanOrEqual(100)
      expect(wait).toBeLessThanOrEqual(Math.min(1000, 100 * 2 ** i))
    }
    expect(backoff.connected()).toBe(true) // it was down
    expect(backoff.down).toBe(false)
  })

  it('a connection that delivered something, then dropped, reconnects at once and ends the failure streak', () => {
    const backoff = new ReconnectBackoff({ initialDelayMs: 100, maxDelayMs: 1000 })
    backoff.attempting()
    backoff.ended(problem)
    backoff.attempting()
    expect(backoff.connected()).toBe(true)
    backoff.acked()
    expect(backoff.ended(problem)).toEqual({ delayMs: 0, wentDown: false })
    expect(backoff.failures).toBe(0)
    expect(backoff.down).toBe(false)
  })

  it('an excused close (the host refused poison) reconnects at once but does not end the streak', () => {
    const backoff = new ReconnectBackoff({ initialDelayMs: 100, maxDelayMs: 1000 })
    backoff.attempting()
    backoff.ended(problem)
    backoff.attempting()
    backoff.connected()
    backoff.excuse()
    expect(backoff.ended(problem)).toEqual({ delayMs: 0, wentDown: false })
    expect(backoff.failures).toBe(1)
    backoff.attempting()
    expect(backoff.ended(problem).delayMs).toBeGreaterThanOrEqual(100)
    expect(backoff.failures).toBe(2)
  })
})
