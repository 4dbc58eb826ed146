import { describe, expect } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { PendingQueue } from '../../src/engine/pending-queue.js'
import { RingReader } from '../../src/ring/ring-reader.js'
import { RingWriter } from '../../src/ring/ring-writer.js'
import { Control, createSharedState, framedSize } from '../../src/shared/layout.js'

const op = fc.oneof(
  fc.record({ write: fc.string({ maxLength: 200 }), unchecked: fc.boolean() }),
  // drainRing's limit (the engine's read-ahead): undefined reads everything unread
  fc.record({ drain: fc.option(fc.nat(5), { nil: undefined }) }),
  fc.record({ take: fc.nat(6) }),
  fc.record({ evictBytes: fc.nat(600) }),
)

describe('PendingQueue', () => {
  // capacity: the room its columns start with (small ones grow while the test runs)
  test.prop([fc.array(op, { maxLength: 400 }), fc.integer({ min: 1, max: 64 })])(
    'keeps records in order with their seqs, and frees ring space as records leave',
    (ops, capacity) => {
      const state = createSharedState(4096)
      const control = new Int32Array(state.control)
      const writer = new RingWriter(state, 4096, () => {})
      const queue = new PendingQueue(new RingReader(state), capacity)
      let written = 0
      const unread: { text: string; unchecked: boolean }[] = []
      const pending: { text: string; seq: number; unchecked: boolean }[] = []
      let nextSeq = 0
      const leave = (count: number): void => {
        const gone = pending.splice(0, count)
        const bytes = gone.reduce((sum, p) => sum + Buffer.byteLength(p.text), 0)
        queue.take(count, bytes)
        // what settling does with the budget (the ring's space is the queue's to free)
        for (const p of gone) Atomics.sub(control, Control.USED_BYTES, framedSize(Buffer.byteLength(p.text)))
      }
      for (const o of ops) {
        if ('write' in o) {
          const text = `${written}:${o.write}`
          if (writer.writeString(text, false, o.unchecked) === 'accepted') {
            unread.push({ text, unchecked: o.unchecked })
            written++
          }
        } else if ('drain' in o) {
          const { count, bytes } = queue.drainRing(o.drain)
          const read = unread.splice(0, o.drain ?? unread.length)
          expect(count).toBe(read.length)
          expect(bytes).toBe(read.reduce((sum, r) => sum + Buffer.byteLength(r.text), 0))
          for (const r of read) pending.push({ ...r, seq: nextSeq++ })
        } else if ('take' in o) {
          leave(Math.min(o.take, pending.length))
        } else {
          const oldest = queue.oldest(o.evictBytes, 0)
          let framed = 0
          let count = 0
          while (framed < o.evictBytes && count < pending.length) framed += framedSize(Buffer.byteLength(pending[count++]!.text))
          expect(oldest).toMatchObject({ count, framed })
          leave(oldest.count)
        }
        expect(queue.count).toBe(pending.length)
        expect(queue.nextSeq).toBe(nextSeq)
        expect(queue.batchedSeq).toBe(pending[0]?.seq ?? nextSeq)
        expect(queue.bytes).toBe(pending.reduce((sum, p) => sum + Buffer.byteLength(p.text), 0))
        for (let k = 0; k < pending.length; k++) {
          expect(queue.view(k).toString('utf8')).toBe(pending[k]!.text)
          expect(queue.unchecked(k)).toBe(pending[k]!.unchecked)
        }
        // every ring byte (wrap waste included) is freed once nothing is left in the ring
        if (pending.length === 0 && unread.length === 0) expect(Atomics.load(control, Control.RING_FILL)).toBe(0)
      }
    },
  )

  // Many records at a time: the queue moves what is left to the front of its arrays once more
  // than half of them (and over 4096) were taken, then refills them in place.
  const round = fc.record({ write: fc.integer({ min: 0, max: 9000 }), take: fc.integer({ min: 0, max: 9000 }) })
  test.prop([fc.array(round, { maxLength: 16 })], { numRuns: 40 })('keeps every record and its seq across the moves of its arrays, thousands of records at a time', (rounds) => {
    const textOf = (i: number): string => `r${i}:${'x'.repeat((i * 7) % 13)}`
    const state = createSharedState(1 << 20)
    const control = new Int32Array(state.control)
    const writer = new RingWriter(state, 1 << 20, () => {})
    const queue = new PendingQueue(new RingReader(state))
    let written = 0
    const pending: { text: string; seq: number }[] = []
    let nextSeq = 0
    for (const { write, take } of rounds) {
      const before = written
      while (written - before < write && writer.writeString(textOf(written), false) === 'accepted') written++
      expect(queue.drainRing().count).toBe(written - before)
      for (let i = before; i < written; i++) pending.push({ text: textOf(i), seq: nextSeq++ })
      const gone = pending.splice(0, Math.min(take, pending.length))
      queue.take(
        gone.length,
        gone.reduce((sum, p) => sum + p.text.length, 0),
      )
      for (const p of gone) Atomics.sub(control, Control.USED_BYTES, framedSize(p.text.length))
      expect(queue.count).toBe(pending.length)
      expect(queue.batchedSeq).toBe(pending[0]?.seq ?? nextSeq)
      const texts = Array.from({ length: queue.count }, (_, k) => queue.view(k).toString('latin1'))
      expect(texts).toEqual(pending.map((p) => p.text))
    }
    queue.take(
      pending.length,
      pending.reduce((sum, p) => sum + p.text.length, 0),
    )
    expect(Atomics.load(control, Control.RING_FILL)).toBe(0) // each record freed its own ring bytes
  })
})
