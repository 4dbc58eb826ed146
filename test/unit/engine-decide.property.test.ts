import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { decide, type DeliveryPolicy } from '../../src/engine/delivery.js'
import type { SendResult } from '../../src/outputs/output.js'

const policy = (maxRetries: number, random = Math.random): DeliveryPolicy => ({ maxRetries, initialDelayMs: 100, maxDelayMs: 10_000, outputName: 'fake', random })

/** A partial answer for a batch of n: each index is acked, rejected or to retry. */
const partial = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.tuple(fc.constant(n), fc.array(fc.constantFrom('ack', 'reject', 'retry'), { minLength: n, maxLength: n })).map(([size, fate]) => {
    const result: SendResult = {
      status: 'partial',
      retry: fate.flatMap((f, i) => (f === 'retry' ? [i] : [])),
      rejected: fate.flatMap((f, i) => (f === 'reject' ? [{ index: i, reason: `bad ${i}` }] : [])),
    }
    return { size, result }
  }),
)

describe('decide()', () => {
  test.prop([partial, fc.nat(5), fc.nat(5)])('a partial answer accounts for every record exactly once', ({ size, result }, failures, maxRetries) => {
    const d = decide(result, { failures, records: size }, policy(maxRetries))
    expect(d.kind).not.toBe('split')
    if (d.kind === 'split') return
    const seen = [...d.acked, ...d.rejected.map((r) => r.index)]
    if (d.kind === 'fail') seen.push(...d.giveUp.map((r) => r.index))
    if (d.kind === 'retryAfter') seen.push(...(d.retry === 'all' ? [] : d.retry))
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: size }, (_, i) => i))
    expect(d.output).toBe('answered')
  })

  test.prop([partial, fc.nat(5), fc.nat(5)])('progress resets the retry count; none counts one more failure, up to maxRetries', ({ size, result }, failures, maxRetries) => {
    if (result.status !== 'partial' || result.retry.length === 0) return
    const progressed = result.retry.length + result.rejected.length < size
    const d = decide(result, { failures, records: size }, policy(maxRetries))
    const next = progressed ? 0 : failures + 1
    if (next > maxRetries) {
      expect(d.kind).toBe('fail')
      if (d.kind === 'fail') expect(d.giveUp.map((r) => r.index)).toEqual(result.retry)
    } else {
      expect(d).toMatchObject({ kind: 'retryAfter', failures: next, retry: result.retry })
    }
  })

  test.prop([fc.nat(30), fc.nat(10), fc.option(fc.nat(60_000), { nil: undefined }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })])(
    'a retryable failure waits between initialDelayMs and maxDelayMs, at least Retry-After (capped), then gives up after maxRetries',
    (failures, maxRetries, retryAfterMs, r) => {
      const error = new Error('fake: down')
      const result: SendResult = retryAfterMs === undefined ? { status: 'retryable', error } : { status: 'retryable', error, retryAfterMs }
      const d = decide(
        result,
        { failures, records: 3 },
        policy(maxRetries, () => r),
      )
      expect(d.output).toBe('failing')
      if (failures + 1 > maxRetries) {
        expect(d).toMatchObject({ kind: 'fail', acked: [], rejected: [] })
        if (d.kind === 'fail') expect(d.giveUp).toEqual([0, 1, 2].map((index) => ({ index, reason: 'retries exhausted: fake: down' })))
        return
      }
      expect(d).toMatchObject({ kind: 'retryAfter', retry: 'all', failures: failures + 1 })
      if (d.kind !== 'retryAfter') return
      expect(d.delayMs).toBeGreaterThanOrEqual(100)
      expect(d.delayMs).toBeLessThanOrEqual(10_000)
      if (retryAfterMs !== undefined) expect(d.delayMs).toBeGreaterThanOrEqual(Math.min(10_000, retryAfterMs))
    },
  )

  it('a fatal answer retries at maxDelayMs', () => {
    expect(decide({ status: 'fatal', error: new Error('401') }, { failures: 0, records: 2 }, policy(3))).toMatchObject({ kind: 'retryAfter', delayMs: 10_000, output: 'failing' })
  })

  test.prop([fc.integer({ min: 1, max: 100 }), fc.constantFrom<SendResult>({ status: 'too-large' }, { status: 'malformed', reason: 'bad json', sinkStatus: 400 })])(
    'too large or malformed: split while there is more than one record, then fail the one alone',
    (records, result) => {
      const d = decide(result, { failures: 0, records }, policy(3))
      if (records > 1) {
        expect(d.kind).toBe('split')
        return
      }
      expect(d.kind).toBe('fail')
      if (d.kind !== 'fail') return
      expect(d.giveUp).toHaveLength(1)
      expect(d.giveUp[0]!.reason).toMatch(result.status === 'too-large' ? /too large for fake/ : /bad json .*isolated by splitting/)
      // a malformed answer is an answer: the sink is up; a too-large one says nothing about it
      expect(d.output).toBe(result.status === 'malformed' ? 'answered' : 'unknown')
    },
  )

  it('delivered: everything is acked', () => {
    expect(decide({ status: 'delivered' }, { failures: 4, records: 3 }, policy(3))).toEqual({ kind: 'settle', acked: [0, 1, 2], rejected: [], output: 'answered' })
  })
})
