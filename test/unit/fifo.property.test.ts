import { describe, expect } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { Fifo } from '../../src/util/fifo.js'

// Model-based: every operation on the Fifo and on a plain array, side by side. Bursts of
// thousands of pushes and shifts cross the compaction threshold (1024 consumed, over half).
const op = fc.oneof(
  fc.record({ push: fc.integer({ min: 1, max: 3000 }) }),
  fc.record({ shift: fc.integer({ min: 1, max: 3000 }) }),
  fc.record({ drop: fc.integer({ min: 0, max: 3000 }) }),
  fc.record({ at: fc.integer({ min: -2, max: 3000 }) }),
  fc.constant({ clear: true as const }),
)

describe('Fifo', () => {
  test.prop([fc.array(op, { maxLength: 60 })], { numRuns: 200 })('gives back what was pushed, in order, whatever the mix of operations', (ops) => {
    const fifo = new Fifo<{ n: number }>()
    const model: { n: number }[] = []
    let next = 0
    for (const o of ops) {
      if ('push' in o) {
        for (let i = 0; i < o.push; i++) {
          const item = { n: next++ }
          fifo.push(item)
          model.push(item)
        }
      } else if ('shift' in o) {
        for (let i = 0; i < o.shift; i++) expect(fifo.shift()).toBe(model.shift())
      } else if ('drop' in o) {
        fifo.drop(o.drop)
        model.splice(0, o.drop)
      } else if ('at' in o) {
        expect(fifo.at(o.at)).toBe(o.at >= 0 ? model[o.at] : undefined)
      } else {
        fifo.clear()
        model.length = 0
      }
      expect(fifo.length).toBe(model.length)
      expect(fifo.peek()).toBe(model[0])
    }
    const rest: ({ n: number } | undefined)[] = []
    while (fifo.length > 0) rest.push(fifo.shift())
    expect(rest).toEqual(model)
    expect(fifo.shift()).toBeUndefined()
  })
})
