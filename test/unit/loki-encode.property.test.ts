import { describe, expect } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import protobuf from 'protobufjs/minimal.js'
import { compress, uncompress } from 'snappyjs'
import { encodePushRequest } from '../../src/outputs/loki/encode.js'
import type { Stream } from '../../src/outputs/loki/streams.js'

const LEN = 2
const VARINT = 0
const tag = (field: number, wire: number): number => (field << 3) | wire

/** The reference: the same PushRequest through protobufjs's Writer (the encoder before proto-writer.ts). */
function reference(streams: readonly Stream[]): Uint8Array {
  const w = protobuf.Writer.create()
  for (const stream of streams) {
    w.uint32(tag(1, LEN)).fork()
    w.uint32(tag(1, LEN)).string(stream.labels)
    for (const entry of stream.entries) {
      w.uint32(tag(2, LEN)).fork()
      const seconds = entry.nanos / 1_000_000_000n
      const nanos = Number(entry.nanos % 1_000_000_000n)
      w.uint32(tag(1, LEN)).fork()
      if (seconds !== 0n) w.uint32(tag(1, VARINT)).int64(Number(seconds))
      if (nanos !== 0) w.uint32(tag(2, VARINT)).int32(nanos)
      w.ldelim()
      w.uint32(tag(2, LEN)).bytes(entry.line)
      for (const [name, value] of entry.metadata) w.uint32(tag(3, LEN)).fork().uint32(tag(1, LEN)).string(name).uint32(tag(2, LEN)).string(value).ldelim()
      w.ldelim()
    }
    w.ldelim()
  }
  return w.finish()
}

const text = fc.string({ unit: 'binary', maxLength: 40 })
const line = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.integer({ min: 0, max: 20_000 }).map((n) => new Uint8Array(n).fill(0x61)),
)
const nanos = fc.oneof(
  fc.bigInt({ min: 0n, max: 4_102_444_800_000_000_000n }),
  fc.constantFrom(0n, 999_999_999n, 1_000_000_000n, 1_764_000_000_000_000_000n),
  fc.bigInt({ min: 0n, max: 2n ** 31n }).map((s) => s * 1_000_000_000n),
)
const entry = fc.record({ nanos, line, metadata: fc.array(fc.tuple(text, text), { maxLength: 3 }) })
const stream = fc.record({ labels: text.map((t) => `{job="${t}"}`), entries: fc.array(entry, { maxLength: 6 }) })

describe('Loki push request encoding (encode.ts)', () => {
  test.prop([fc.array(stream, { maxLength: 4 })], { numRuns: 300 })('writes the same PushRequest bytes as protobufjs, request after request', (streams) => {
    const body = encodePushRequest(streams)
    const expected = reference(streams)
    expect(Buffer.from(uncompress(body)).equals(Buffer.from(expected))).toBe(true)
    expect(Buffer.from(body).equals(Buffer.from(compress(expected)))).toBe(true)
    // the writer is reused: a second request, and the first's body, are unaffected
    const again = encodePushRequest(streams)
    expect(Buffer.from(again).equals(Buffer.from(body))).toBe(true)
  })

  test.prop([fc.array(fc.uint8Array({ minLength: 1, maxLength: 50 }), { minLength: 1, maxLength: 5 })])(
    'lines that are views into one shared buffer are written as their own bytes',
    (parts) => {
      const shared = Buffer.concat(parts.map((p) => Buffer.from(p)))
      let at = 0
      const entries = parts.map((p) => {
        const view = new Uint8Array(shared.buffer, shared.byteOffset + at, p.length)
        at += p.length
        return { nanos: 1n, line: view, metadata: [] }
      })
      const streams = [{ labels: '{job="x"}', entries }]
      expect(Buffer.from(uncompress(encodePushRequest(streams))).equals(Buffer.from(reference(streams)))).toBe(true)
    },
  )
})
