import { describe, expect } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { windowPayloads } from '../helpers/lumberjack-frames.js'
import { WindowEncoder } from '../../src/outputs/logstash/encode-window.js'

/** The records a window's frames carry. */
function recordsOf(frames: readonly Buffer[]): string[] {
  return windowPayloads(frames).map((p) => p.toString('latin1'))
}

const record = fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes))

describe('window encoder (properties)', () => {
  test.prop([
    fc.array(record, { minLength: 1, maxLength: 40 }),
    fc.array(fc.array(fc.nat(), { minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 8 }),
    fc.constantFrom(0, 1, 3),
    fc.array(fc.boolean(), { maxLength: 8 }),
  ])('every window carries exactly its records, in order, whatever buffers earlier windows gave back or still hold', async (records, windows, level, giveBack) => {
    const encoder = new WindowEncoder(level, 2)
    const held: { frames: readonly Buffer[]; expected: string[] }[] = []
    for (const [w, picks] of windows.entries()) {
      const indexes = picks.map((p) => p % records.length)
      const expected = indexes.map((i) => records[i]!.toString('latin1'))
      const encoded = await encoder.encode(records, indexes)
      expect(recordsOf(encoded.frames)).toEqual(expected)
      if (giveBack[w]) encoded.written()
      else held.push({ frames: encoded.frames, expected })
    }
    // windows not given back were not overwritten by later ones
    for (const { frames, expected } of held) expect(recordsOf(frames)).toEqual(expected)
  })
})
