import { describe, expect } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { Engine, type EngineEvents } from '../../src/engine/engine.js'
import { resolveOptions } from '../../src/options/resolve.js'
import type { Batch, Output, SendResult } from '../../src/outputs/output.js'
import { RingWriter } from '../../src/ring/ring-writer.js'
import { createSharedState } from '../../src/shared/layout.js'
import { ProducerLedger, readCounters } from '../../src/shared/ledger.js'
import { LocalWakeup } from '../../src/shipper/wakeup.js'
import { toStats } from '../../src/shipper/stats.js'
import { waitFor } from '../helpers/wait.js'

type Answer = 'delivered' | 'partial' | 'retryable' | 'too-large' | 'malformed' | 'fatal' | 'throws'

/**
 * An in-memory output: answers each send from a script (then 'delivered' for good), and
 * stores what it says it stored. A partial answer stores the records `pick` says, rejects
 * some and asks for the rest again.
 */
class ScriptedOutput implements Output {
  readonly name = 'scripted'
  readonly maxInFlight: number
  readonly stored: number[] = []
  readonly #script: Answer[]
  readonly #pick: () => number
  constructor(script: Answer[], maxInFlight: number, pick: () => number) {
    this.#script = [...script]
    this.maxInFlight = maxInFlight
    this.#pick = pick
  }

  async send(batch: Batch): Promise<SendResult> {
    await new Promise((resolve) => setImmediate(resolve))
    const ids = batch.records.map((r) => JSON.parse(Buffer.from(r).toString('utf8')) as { i?: number })
    const answer = this.#script.shift() ?? 'delivered'
    const store = (which: number[]): void => {
      for (const k of which) if (ids[k]!.i !== undefined) this.stored.push(ids[k]!.i!)
    }
    switch (answer) {
      case 'delivered':
        store(ids.map((_, k) => k))
        return { status: 'delivered' }
      case 'partial': {
        const fate = ids.map(() => this.#pick() % 3) // 0 stored, 1 rejected, 2 retry
        store(fate.flatMap((f, k) => (f === 0 ? [k] : [])))
        return { status: 'partial', rejected: fate.flatMap((f, k) => (f === 1 ? [{ index: k, reason: 'refused' }] : [])), retry: fate.flatMap((f, k) => (f === 2 ? [k] : [])) }
      }
      case 'retryable':
        return { status: 'retryable', error: new Error('scripted: down') }
      case 'fatal':
        return { status: 'fatal', error: new Error('scripted: refused credentials') }
      case 'too-large':
        return { status: 'too-large' }
      case 'malformed':
        return { status: 'malformed', reason: 'bad record' }
      case 'throws':
        throw new Error('scripted: socket closed')
    }
  }

  async close(): Promise<void> {}
}

const answers = fc.array(fc.constantFrom<Answer>('delivered', 'partial', 'retryable', 'too-large', 'malformed', 'fatal', 'throws'), { maxLength: 30 })

describe('engine with an in-memory output', () => {
  test.prop([fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 4 }), fc.nat(3), answers, fc.infiniteStream(fc.nat())], { numRuns: 40 })(
    'every event is stored once or dead-lettered once, and the ledger and watermark add up',
    async (n, maxEvents, maxInFlight, maxRetries, script, picks) => {
      const options = resolveOptions({
        output: { type: 'http', url: 'http://127.0.0.1:9/unused' },
        thread: 'main',
        handleExit: false,
        batch: { maxEvents, flushMs: 1 },
        retry: { initialDelayMs: 1, maxDelayMs: 2, maxRetries },
      })
      const state = createSharedState(options.queue.maxBytes)
      const wakeup = new LocalWakeup(state)
      const it = picks[Symbol.iterator]()
      const output = new ScriptedOutput(script, maxInFlight, () => it.next().value)
      const deadLettered: number[] = []
      const events: EngineEvents = {
        error: () => {},
        drop: () => {},
        deadLetter: (info) => {
          for (const e of info.events) deadLettered.push((JSON.parse(e) as { i: number }).i)
        },
      }
      const engine = new Engine(options, state, output, events, wakeup)
      engine.start()
      const writer = new RingWriter(state, options.queue.maxBytes, wakeup.kick)
      const producer = ProducerLedger.of(state)
      for (let i = 0; i < n; i++) {
        producer.received()
        expect(writer.writeString(JSON.stringify({ i }), false)).toBe('accepted')
      }
      producer.requestFlush()
      wakeup.kick()
      const counters = new Float64Array(state.counters)
      const control = new Int32Array(state.control)
      const stats = () => toStats(readCounters(counters, control), 0, 0, options.queue.maxBytes)
      await waitFor(() => stats().acked + stats().failed === n, 'every event settled')
      await engine.close(1000)
      const s = stats()
      expect(new Set(output.stored).size, 'stored twice').toBe(output.stored.length)
      expect([...output.stored, ...deadLettered].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i))
      expect(s).toMatchObject({ received: n, acked: output.stored.length, failed: deadLettered.length, dropped: 0, inFlightEvents: 0, inFlightBatches: 0, queuedEvents: 0 })
      expect(producer.settled).toBe(n)
    },
  )
})
