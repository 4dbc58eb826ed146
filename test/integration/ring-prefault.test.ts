import { describe, expect } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { createShipper } from 'logship'
import { startSinkProcess } from '../helpers/sink.js'

/**
 * The worker maps the ring's pages ahead of the app thread (src/ring/ring-prefault.ts) while
 * the app thread writes records into the same pages. Records of every size, written from the
 * first moment on, land on page boundaries everywhere: none may lose a byte to that.
 */
describe('the ring while the worker maps its pages ahead of the writer', () => {
  const sizes = fc.array(fc.integer({ min: 0, max: 9000 }), { minLength: 400, maxLength: 1200 })
  test.prop([sizes], { numRuns: 4 })('every record arrives byte for byte, in order', async (lengths) => {
    const sink = await startSinkProcess()
    try {
      // a ring larger than everything written: no write waits for room, all of them race the worker's start
      const shipper = createShipper({ output: { type: 'http', url: sink.url }, queue: { maxBytes: '16mb' }, batch: { flushMs: 20 } })
      const sent = lengths.map((n, i) => ({ i, pad: 'é'.repeat(n % 7) + String.fromCharCode(0x61 + (i % 26)).repeat(n) }))
      for (const event of sent) expect(shipper.write(event)).toBe(true)
      await shipper.flush()
      const events = await sink.events()
      expect(events.map((e) => [e.i, e.pad])).toEqual(sent.map((e) => [e.i, e.pad]))
      await shipper.close()
    } finally {
      await sink.close()
    }
  })
})
