import { expect } from 'vitest'
import { inflateSync } from 'node:zlib'
import { decodeFrame, type Frame } from '../../src/outputs/logstash/frames.js'

/** Every Lumberjack v2 frame in `bytes`, which must hold whole frames only. */
export function decodeAll(bytes: Buffer): Frame[] {
  const frames: Frame[] = []
  let at = 0
  for (;;) {
    const got = decodeFrame(bytes, at)
    if (!got) break
    frames.push(got.frame)
    at = got.next
  }
  expect(at).toBe(bytes.length)
  return frames
}

/** The payloads of one window's J frames (plain or inside a 2C frame), checking the 2W count and the 1..n sequence numbers. */
export function windowPayloads(frames: readonly Buffer[]): Buffer[] {
  const [window, ...rest] = decodeAll(Buffer.concat(frames))
  if (window?.type !== 'window') throw new Error('expected a 2W frame first')
  const inner = rest.length === 1 && rest[0]!.type === 'compressed' ? decodeAll(inflateSync(rest[0]!.payload)) : rest
  expect(inner.map((f) => (f.type === 'json' ? f.seq : -1))).toEqual(inner.map((_, k) => k + 1))
  expect(window.count).toBe(inner.length)
  return inner.map((f) => (f.type === 'json' ? Buffer.from(f.payload) : Buffer.alloc(0)))
}
