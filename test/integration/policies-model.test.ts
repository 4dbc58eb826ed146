import { describe, expect, onTestFinished } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createShipper, type ShipperOptions } from 'logship'
import { startSinkProcess, allEvents, isLossMarker, type Sink } from '../helpers/sink.js'
import { expectLedgerBalanced } from '../helpers/ledger.js'

type Step = { kind: 'write'; count: number; level: 'info' | 'error' } | { kind: 'stall' } | { kind: 'recover' } | { kind: 'flush' }

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('write' as const), count: fc.integer({ min: 1, max: 120 }), level: fc.constantFrom('info' as const, 'error' as const) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'stall' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'recover' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'flush' as const }) },
)

const POLICIES = ['drop-newest', 'drop-oldest', 'block', 'sample', 'spill'] as const
type Policy = (typeof POLICIES)[number]

function optionsFor(policy: Policy, sink: Sink): ShipperOptions {
  const base: ShipperOptions = {
    output: { type: 'http', url: sink.url },
    batch: { maxEvents: 20, flushMs: 5 },
    retry: { initialDelayMs: 1, maxDelayMs: 20 },
    closeTimeoutMs: 10_000,
  }
  const queue = { maxBytes: 8 * 1024 }
  if (policy === 'block') return { ...base, queue: { ...queue, whenFull: 'block', maxBlockMs: 20, blockBudgetMs: 60 } }
  if (policy === 'sample') return { ...base, queue: { ...queue, whenFull: 'sample' }, sample: { watermark: 0.5, keepOneIn: 3, keepLevelsAtOrAbove: 'warn' } }
  if (policy === 'spill') {
    const dir = mkdtempSync(join(tmpdir(), 'logship-model-spill-'))
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
    return { ...base, queue: { ...queue, whenFull: 'spill', spill: { dir, maxBytes: '64mb' } } }
  }
  return { ...base, queue: { ...queue, whenFull: policy } }
}

/**
 * The reference model: which writes returned true, and what each policy promises about them
 * once the sink is back and everything is flushed.
 */
describe('whenFull policies against a reference model (writes, sink stalls and recoveries, flushes in random order)', () => {
  for (const policy of POLICIES) {
    test.prop([fc.array(step, { minLength: 1, maxLength: 12 })], { numRuns: 4 })(`${policy}`, async (steps) => {
      const sink = await startSinkProcess()
      const shipper = createShipper(optionsFor(policy, sink))
      const accepted: number[] = []
      const refused: { id: number; level: string }[] = []
      let next = 0
      let stalled = false
      for (const s of steps) {
        if (s.kind === 'write') {
          for (let k = 0; k < s.count; k++) {
            const id = next++
            if (shipper.write({ id, level: s.level, msg: 'model event' })) accepted.push(id)
            else refused.push({ id, level: s.level })
          }
          expectLedgerBalanced(shipper.stats())
        } else if (s.kind === 'stall' && !stalled) {
          await sink.setMode({ stall: true })
          stalled = true
        } else if (s.kind === 'recover' && stalled) {
          await sink.setMode({ stall: false })
          stalled = false
        } else if (s.kind === 'flush' && !stalled) {
          await shipper.flush()
          const now = shipper.stats()
          expect(now.queuedEvents + now.inFlightEvents).toBe(0)
        }
      }
      await sink.setMode({ stall: false })
      await shipper.flush()
      const st = shipper.stats()
      await shipper.close()
      const delivered = (await sink.events()).map((e) => e.id as number)

      // every policy: the ledger adds up, nothing is delivered twice, order is kept, and
      // every refused write is counted under a reason
      expectLedgerBalanced(st)
      expect(st.received).toBe(next)
      expect(new Set(delivered).size).toBe(delivered.length)
      expect(delivered).toEqual([...delivered].sort((a, b) => a - b))
      expect(st.dropped - st.droppedByReason.queue_full_oldest + st.sampledOut).toBe(refused.length)
      expect(st.failed).toBe(0)

      if (policy === 'drop-oldest') {
        // evicted, never refused: all that is missing was accepted and then evicted as the oldest
        expect(refused).toEqual([])
        expect(delivered.length).toBe(accepted.length - st.droppedByReason.queue_full_oldest)
        expect(delivered.every((id) => accepted.includes(id))).toBe(true)
        if (next > 0) expect(delivered[delivered.length - 1]).toBe(next - 1) // the newest is never evicted
      } else {
        // nothing accepted is lost: delivered is exactly what write() accepted
        expect(delivered).toEqual(accepted)
      }
      if (policy === 'spill') expect(refused).toEqual([])
      if (policy === 'sample') {
        // error events are never sampled out; only a full queue drops them
        expect(st.droppedByReason.queue_full + st.sampledOut).toBe(refused.length)
        expect(refused.filter((r) => r.level === 'error').length).toBeLessThanOrEqual(st.droppedByReason.queue_full)
      }
      if (policy === 'drop-newest') expect(st.droppedByReason.queue_full).toBe(refused.length)
      if (policy === 'block') expect(st.droppedByReason.queue_full + st.droppedByReason.block_timeout).toBe(refused.length)
      // the loss is reported to the sink: the markers add up to what was dropped or sampled
      const markers = (await allEvents(sink)).filter(isLossMarker)
      const reported = markers.reduce((sum, m) => sum + (m.logship as { dropped: number; sampledOut: number }).dropped + (m.logship as { sampledOut: number }).sampledOut, 0)
      expect(reported).toBeLessThanOrEqual(st.dropped + st.sampledOut)
    })
  }
})
