import { describe, expect } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { InFlightWindows, type WindowOutcome } from '../../src/outputs/logstash/in-flight-windows.js'

// a run of a connection: windows written, and ACKs (any sequence number, repeats and
// out-of-range ones included) arriving in between
const step = fc.oneof(fc.record({ write: fc.integer({ min: 1, max: 50 }) }), fc.record({ ack: fc.integer({ min: 0, max: 60 }) }))

describe('windows in flight (model-based)', () => {
  test.prop([fc.array(step, { maxLength: 60 })])(
    'ACKs settle windows in order; unacknowledged events are what was written minus what was acknowledged; an ACK beyond the window is refused',
    (steps) => {
      const windows = new InFlightWindows()
      // the model: per window, its size and acknowledged prefix
      const model: { count: number; acked: number; id: number }[] = []
      const completed: number[] = []
      let nextId = 0
      for (const s of steps) {
        if ('write' in s) {
          const id = nextId++
          model.push({ count: s.write, acked: 0, id })
          windows.add(s.write, true, false, (outcome: WindowOutcome) => {
            completed.push(id)
            expect(outcome.acked).toBe(s.write)
            return undefined
          })
          continue
        }
        const head = model[0]
        if (head && s.ack > head.count) {
          expect(() => windows.ack(s.ack)).toThrow(/protocol error: ACK for sequence/)
          break // the connection fails here
        }
        const settled = windows.ack(s.ack)
        if (!head || s.ack <= head.acked) {
          expect(settled).toBeUndefined()
          continue
        }
        head.acked = s.ack
        expect(settled?.complete).toBe(s.ack === head.count)
        if (settled?.complete) {
          model.shift()
          settled.window.done({ acked: settled.window.count })
        }
        expect(windows.length).toBe(model.length)
        expect(windows.unackedEvents).toBe(model.reduce((n, w) => n + w.count - w.acked, 0))
      }
      // every window acknowledged in full completed, in the order written
      expect(completed).toEqual([...completed].sort((a, b) => a - b))
      const left = windows.takeAll()
      expect(left.map((w) => [w.count, w.acked])).toEqual(model.map((w) => [w.count, w.acked]))
      expect(windows.unackedEvents).toBe(0)
    },
  )
})
