import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { Fifo } from '../../src/util/fifo.js'
import { OrderedAcks, type AckGroup } from '../../src/util/ordered-acks.js'
import { fillMissing, isPlainObject, overlay } from '../../src/util/merge.js'
import { utf8Cut } from '../../src/util/utf8.js'
import { IsoClock } from '../../src/util/iso-clock.js'
import { waitOnWordSync } from '../../src/shared/wait.js'
import { ConsumerLedger, ProducerLedger, readCounters } from '../../src/shared/ledger.js'
import { Counter, createSharedState, maxRecordBytes, ringCapacity } from '../../src/shared/layout.js'

describe('Fifo', () => {
  const op = fc.oneof(fc.record({ push: fc.integer() }), fc.constant({ shift: true }), fc.record({ drop: fc.nat(5) }))
  test.prop([fc.array(op, { maxLength: 3000 })])('behaves like an array used as a queue', (ops) => {
    const fifo = new Fifo<number>()
    const model: number[] = []
    for (const o of ops) {
      if ('push' in o) {
        fifo.push(o.push)
        model.push(o.push)
      } else if ('shift' in o) {
        expect(fifo.shift()).toBe(model.shift())
      } else {
        fifo.drop(o.drop)
        model.splice(0, o.drop)
      }
      expect(fifo.length).toBe(model.length)
      expect(fifo.peek()).toBe(model[0])
      expect(fifo.at(model.length - 1)).toBe(model[model.length - 1])
    }
  })
})

describe('OrderedAcks', () => {
  test.prop([fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 30 }), fc.infiniteStream(fc.nat())])(
    'the watermark is the start of the first group not fully acknowledged, whatever the order of acks',
    (sizes, picks) => {
      const acks = new OrderedAcks()
      const groups: AckGroup[] = []
      let seq = 0
      for (const size of sizes) {
        groups.push(acks.open(seq, seq + size, size))
        seq += size
      }
      const left = sizes.slice()
      const it = picks[Symbol.iterator]()
      while (left.some((n) => n > 0)) {
        const open = left.map((n, i) => (n > 0 ? i : -1)).filter((i) => i >= 0)
        const g = open[it.next().value % open.length]!
        left[g]!--
        acks.ack(groups[g]!, 1)
        const first = left.findIndex((n) => n > 0)
        expect(acks.watermark(seq)).toBe(first === -1 ? seq : groups[first]!.start)
      }
      expect(acks.openGroups).toBe(0)
    },
  )
})

describe('merge', () => {
  it('overlay: the top wins, objects on both sides are merged, inputs stay as they were', () => {
    const base = { a: 1, o: { x: 1, y: 1 }, arr: [1] }
    const top = { a: 2, o: { y: 2 }, arr: [2] }
    expect(overlay(base, top)).toEqual({ a: 2, o: { x: 1, y: 2 }, arr: [2] })
    expect(base).toEqual({ a: 1, o: { x: 1, y: 1 }, arr: [1] })
  })
  it('fillMissing: the document wins, missing keys come from the defaults as copies', () => {
    const defaults = { a: 1, o: { x: 1, y: 1 } }
    const doc = fillMissing({ o: { y: 2 } }, defaults)
    expect(doc).toEqual({ a: 1, o: { x: 1, y: 2 } })
    ;(doc.o as { x: number }).x = 9
    expect(defaults.o.x).toBe(1)
  })
  it('isPlainObject: objects, not arrays or null', () => {
    expect([isPlainObject({}), isPlainObject([]), isPlainObject(null), isPlainObject('x')]).toEqual([true, false, false, false])
  })
})

describe('utf8Cut', () => {
  test.prop([fc.string({ unit: 'binary', maxLength: 40 }), fc.nat()])('never splits a character', (text, at) => {
    const buf = Buffer.from(text)
    const cut = utf8Cut(buf, 0, Math.min(at, buf.length))
    expect(cut).toBeLessThanOrEqual(Math.min(at, buf.length))
    expect(Buffer.from(buf.subarray(0, cut).toString('utf8')).equals(buf.subarray(0, cut))).toBe(true)
  })
})

describe('IsoClock', () => {
  it('formats like toISOString', () => {
    const clock = new IsoClock()
    expect(clock.iso(0)).toBe('1970-01-01T00:00:00.000Z')
    expect(clock.iso(Date.UTC(2026, 0, 2))).toBe('2026-01-02T00:00:00.000Z')
  })
})

describe('shared ledger and waits', () => {
  it('producer and consumer moves keep received = acked + dropped + queued + inFlight', () => {
    const state = createSharedState(4096)
    const control = new Int32Array(state.control)
    const producer = ProducerLedger.of(state)
    const consumer = ConsumerLedger.of(state)
    for (let i = 0; i < 5; i++) {
      producer.received()
      producer.accepted()
    }
    producer.received()
    producer.lost('too_large')
    consumer.drained(5, 100)
    consumer.batched(3, 60)
    consumer.settled('acked', 2, false)
    consumer.settled('failed', 1, true)
    consumer.droppedPending('queue_full_oldest', 2, 40)
    const c = readCounters(new Float64Array(state.counters), control)
    expect([c[Counter.RECEIVED], c[Counter.ACKED], c[Counter.FAILED], c[Counter.DROPPED_OLDEST], c[Counter.DROPPED_TOO_LARGE]]).toEqual([6, 2, 1, 2, 1])
    expect([c[Counter.PENDING], c[Counter.PENDING_BYTES], c[Counter.IN_FLIGHT_EVENTS], c[Counter.IN_FLIGHT_BATCHES]]).toEqual([0, 0, 0, 0])
  })
  it('maxRecordBytes: half the ring, within the budget, less the frame header', () => {
    expect(maxRecordBytes(256)).toBe(248)
    expect(maxRecordBytes(8 * 1024 * 1024)).toBe(ringCapacity(8 * 1024 * 1024) / 2 - 8)
  })
  it('waitOnWordSync checks once with no time, and returns as soon as done', () => {
    const control = new Int32Array(new SharedArrayBuffer(16))
    let calls = 0
    expect(waitOnWordSync({ control, word: 0, waitingFlag: 1, done: () => ++calls > 5, pollMs: 1 }, 0)).toBe(false)
    expect(calls).toBe(1)
    expect(waitOnWordSync({ control, word: 0, waitingFlag: 1, done: () => ++calls > 3, pollMs: 1 }, 10_000)).toBe(true)
    expect(control[1]).toBe(1)
  })
})
