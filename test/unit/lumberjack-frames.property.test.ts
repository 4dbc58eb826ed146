import { describe, expect } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { decodeFrame, encodeAck, encodeJsonFrames, encodeWindow, FrameError, type Frame } from '../../src/outputs/logstash/frames.js'

function decodeAll(bytes: Buffer): { frames: Frame[]; rest: number } {
  const frames: Frame[] = []
  let at = 0
  for (;;) {
    const decoded = decodeFrame(bytes, at)
    if (!decoded) return { frames, rest: bytes.length - at }
    frames.push(decoded.frame)
    at = decoded.next
  }
}

const record = fc.uint8Array({ minLength: 0, maxLength: 200 })
const u32 = fc.nat({ max: 0xffffffff })

describe('Lumberjack v2 frames (properties)', () => {
  test.prop([fc.array(record, { maxLength: 30 }), fc.nat(), fc.nat()])('J frames decode back to the same records with sequence numbers 1..n', (records, a, b) => {
    const from = records.length === 0 ? 0 : a % records.length
    const to = from + (records.length === 0 ? 0 : b % (records.length - from + 1))
    const { frames, rest } = decodeAll(encodeJsonFrames(records, from, to))
    expect(rest).toBe(0)
    expect(frames).toEqual(records.slice(from, to).map((r, i) => ({ type: 'json', seq: i + 1, payload: Buffer.from(r) })))
  })

  test.prop([u32, u32])('window and ACK frames round-trip any 32-bit value', (count, seq) => {
    expect(decodeAll(Buffer.concat([encodeWindow(count), encodeAck(seq)])).frames).toEqual([
      { type: 'window', count },
      { type: 'ack', seq },
    ])
  })

  test.prop([fc.array(record, { minLength: 1, maxLength: 10 }), fc.nat()])('a frame cut anywhere is "not yet", never a wrong frame', (records, cut) => {
    const bytes = Buffer.concat([encodeWindow(records.length), encodeJsonFrames(records, 0, records.length)])
    const length = cut % bytes.length
    const { frames } = decodeAll(bytes.subarray(0, length))
    const all = decodeAll(bytes).frames
    expect(frames).toEqual(all.slice(0, frames.length))
  })

  test.prop([fc.uint8Array({ maxLength: 64 })])('arbitrary bytes decode to frames, "not yet", or a FrameError: nothing else is thrown', (bytes) => {
    try {
      decodeAll(Buffer.from(bytes))
    } catch (err) {
      expect(err).toBeInstanceOf(FrameError)
    }
  })
})
