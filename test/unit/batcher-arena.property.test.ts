import { expect } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { Batcher } from '../../src/engine/batcher.js'
import { PendingQueue } from '../../src/engine/pending-queue.js'
import { Stamper } from '../../src/engine/stamp.js'
import { contiguousNdjson, recordViews, type WorkBatch } from '../../src/engine/work-batch.js'
import { RingReader } from '../../src/ring/ring-reader.js'
import { RingWriter } from '../../src/ring/ring-writer.js'
import { ConsumerLedger } from '../../src/shared/ledger.js'
import { Control, createSharedState } from '../../src/shared/layout.js'
import { OrderedAcks } from '../../src/util/ordered-acks.js'

/** Records as write() queues them: with a time key (shipped as they are) or without (stamped). */
const record = fc.oneof(
  fc.record({ text: fc.string({ maxLength: 150 }), timed: fc.boolean() }).map(({ text, timed }) => JSON.stringify(timed ? { time: 1, text } : { text })),
  // unchecked text that is not one JSON object: the batcher wraps it
  fc.string({ maxLength: 60 }).map((text) => ({ unchecked: `x${text}` })),
)

const op = fc.oneof(fc.record({ write: record }), fc.record({ cut: fc.integer({ min: 1, max: 9 }) }))

/** The record text a batch must carry for `written` (a wrapped or stamped record keeps the text it had). */
function matches(shipped: string, written: string | { unchecked: string }): boolean {
  if (typeof written !== 'string') return (JSON.parse(shipped) as Record<string, unknown>).message === written.unchecked
  if (written.includes('"time":')) return shipped === written
  const { '@timestamp': stamp, ...rest } = JSON.parse(shipped) as Record<string, unknown>
  return typeof stamp === 'string' && JSON.stringify(rest) === written
}

test.prop([fc.array(op, { maxLength: 300 })])(
  'batches cut from the ring (records back to back, wrapped around its end, stamped or wrapped) carry every record once, in order, with its newline',
  async (ops) => {
    const state = createSharedState(2048)
    const control = new Int32Array(state.control)
    const writer = new RingWriter(state, 2048, () => {})
    const queue = new PendingQueue(new RingReader(state))
    const ledger = ConsumerLedger.of(state)
    const acks = new OrderedAcks()
    const host = { stopped: () => false, closing: () => true, ringHasUnread: () => false, unrefIfShared: (t: NodeJS.Timeout) => t, spaceFreed: () => {} }
    const stamper = new Stamper(undefined)
    const written: (string | { unchecked: string })[] = []
    const shipped: string[] = []
    /** Cuts one batch of at most `maxEvents` (with flushMs 0 and closing, the batcher cuts at once). */
    const cut = async (maxEvents = 1000): Promise<void> => {
      queue.drainRing()
      if (queue.empty) return
      const batcher = new Batcher({ maxEvents, maxBytes: 1 << 20, flushMs: 0 }, queue, stamper, acks, ledger, 2, host)
      const batch = (await batcher.next()) as WorkBatch
      const views = recordViews(batch)
      expect(views.length).toBeLessThanOrEqual(maxEvents)
      const ndjson = contiguousNdjson(batch)!
      expect(ndjson.toString('utf8')).toBe(views.map((v) => `${v.toString('utf8')}\n`).join(''))
      for (const v of views) shipped.push(v.toString('utf8'))
      // what settling does with the queue budget
      for (let i = 0; i < views.length; i++) Atomics.sub(control, Control.USED_BYTES, batch.framed[i]!)
    }
    for (const o of ops) {
      if ('write' in o) {
        const w = o.write
        const outcome = typeof w === 'string' ? writer.writeString(w, false) : writer.writeString(w.unchecked, false, true)
        if (outcome !== 'accepted') {
          await cut()
          continue
        }
        written.push(w)
      } else await cut(o.cut)
    }
    // what is left goes out in batches of up to 1000 (every record's ring space is freed by now)
    for (queue.drainRing(); !queue.empty; queue.drainRing()) await cut()
    expect(shipped.length).toBe(written.length)
    for (let i = 0; i < written.length; i++) expect(matches(shipped[i]!, written[i]!), `record ${i}: ${shipped[i]}`).toBe(true)
  },
)
