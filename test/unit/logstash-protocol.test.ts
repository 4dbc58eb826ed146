import { describe, it, expect } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { inflateSync } from 'node:zlib'
import { encodeAck, encodeJsonFrames, encodeWindow, decodeFrame, FrameError } from '../../src/outputs/logstash/frames.js'
import { encodeWindowFrames } from '../../src/outputs/logstash/encode-window.js'
import { AckReader } from '../../src/outputs/logstash/ack-reader.js'
import { SlowStartWindow } from '../../src/outputs/logstash/window.js'
import { parseHost } from '../../src/outputs/logstash/options.js'
import { decodeAll } from '../helpers/lumberjack-frames.js'

describe('Lumberjack v2 frames', () => {
  it('encodes the window, data and ACK frames with big-endian 32-bit fields', () => {
    expect(encodeWindow(0x01020304).toString('hex')).toBe('3257' + '01020304')
    expect(encodeAck(7).toString('hex')).toBe('3241' + '00000007')
    const json = encodeJsonFrames([Buffer.from('{"a":1}'), Buffer.from('{"b":"é"}')], 0, 2)
    expect(json.subarray(0, 10).toString('hex')).toBe('324a' + '00000001' + '00000007')
    expect(json.subarray(10, 17).toString()).toBe('{"a":1}')
    expect(json.subarray(17, 27).toString('hex')).toBe('324a' + '00000002' + '0000000a')
  })

  it('numbers data frames 1..N in every window', () => {
    const records = ['{"i":0}', '{"i":1}', '{"i":2}', '{"i":3}'].map((s) => Buffer.from(s))
    const frames = decodeAll(encodeJsonFrames(records, 1, 4))
    expect(frames.map((f) => (f.type === 'json' ? [f.seq, f.payload.toString()] : f.type))).toEqual([
      [1, '{"i":1}'],
      [2, '{"i":2}'],
      [3, '{"i":3}'],
    ])
  })

  it('compresses a window into one 2C frame holding a zlib stream of its 2J frames', async () => {
    const records = Array.from({ length: 50 }, (_, i) => Buffer.from(JSON.stringify({ i, msg: 'Grüße 🚀' })))
    const [window, ...rest] = decodeAll(Buffer.concat(await encodeWindowFrames(records, 6)))
    expect(window).toEqual({ type: 'window', count: 50 })
    expect(rest).toHaveLength(1)
    const compressed = rest[0]!
    if (compressed.type !== 'compressed') throw new Error('expected a compressed frame')
    const inner = decodeAll(inflateSync(compressed.payload))
    expect(inner.map((f) => (f.type === 'json' ? JSON.parse(f.payload.toString()).i : -1))).toEqual(Array.from({ length: 50 }, (_, i) => i))
    const plain = decodeAll(Buffer.concat(await encodeWindowFrames(records, 0)))
    expect(plain).toHaveLength(51)
    expect(plain.slice(1).every((f) => f.type === 'json')).toBe(true)
  })

  it('waits for whole frames and refuses bytes that are not Lumberjack v2', () => {
    const frame = encodeJsonFrames([Buffer.from('{"x":true}')], 0, 1)
    expect(decodeFrame(frame.subarray(0, 12))).toBeUndefined()
    expect(decodeFrame(frame.subarray(0, 5))).toBeUndefined()
    expect(() => decodeFrame(Buffer.from('1W\0\0\0\x01', 'latin1'))).toThrow(FrameError)
    expect(() => decodeFrame(Buffer.from('2Z\0\0\0\x01', 'latin1'))).toThrow(/unknown frame type 0x5a/)
  })
})

describe('AckReader', () => {
  it('reads ACKs whatever way the socket splits the bytes', () => {
    const bytes = Buffer.concat([encodeAck(3), encodeAck(0), encodeAck(70_000), encodeAck(4_000_000_000)])
    for (const cuts of [[1], [5, 7], [6, 12], [2, 3, 4, 13, 23], Array.from({ length: 23 }, (_, i) => i + 1)]) {
      const reader = new AckReader()
      const seen: number[] = []
      let from = 0
      for (const to of [...cuts, bytes.length]) {
        reader.push(bytes.subarray(from, to), (seq) => seen.push(seq))
        from = to
      }
      expect(seen).toEqual([3, 0, 70_000, 4_000_000_000])
    }
  })

  it('throws on a frame that is not an ACK', () => {
    const reader = new AckReader()
    expect(() => reader.push(Buffer.from('HTTP/1.1 400 Bad'), () => {})).toThrow(/expected an ACK frame \('2A'\), got bytes 0x4854/)
  })
})

describe('SlowStartWindow', () => {
  it('starts at 10, grows by half per full window up to bulkMaxSize, halves on failure', () => {
    const w = new SlowStartWindow(2048)
    const sizes = [w.size]
    for (let i = 0; i < 14; i++) {
      w.acked(w.size, true)
      sizes.push(w.size)
    }
    expect(sizes).toEqual([10, 15, 23, 35, 53, 80, 120, 180, 270, 405, 608, 912, 1368, 2048, 2048])
    w.failed()
    expect(w.size).toBe(1024)
    w.failed()
    expect(w.size).toBe(512)
    // back to the largest size that worked quickly, then further only by probing
    w.acked(512, true)
    expect(w.size).toBe(768)
    w.acked(768, true)
    expect(w.size).toBe(1152)
    w.acked(1152, true)
    expect(w.size).toBe(1728)
    w.acked(1728, true)
    expect(w.size).toBe(2048)
  })

  it('grows on every full window acknowledged, also when pipelined windows went out at the same size', () => {
    const w = new SlowStartWindow(2048)
    // pipelining 2: two windows of 10 are on the wire before the first ACK
    w.acked(10, true)
    w.acked(10, true)
    expect(w.size).toBe(23)
  })

  it('does not grow on short (tail) windows', () => {
    const w = new SlowStartWindow(100)
    w.acked(3, false)
    expect(w.size).toBe(10)
  })

  it('keeps a flapping connection useful: failures halve it down to an eighth of the largest size that worked, never below 10', () => {
    const w = new SlowStartWindow(2048)
    for (let i = 0; i < 10; i++) w.failed()
    expect(w.size).toBe(10)
    while (w.largestOk < 2048) w.acked(w.size, true)
    const churn = new SlowStartWindow(2048)
    while (churn.largestOk < 2048) churn.acked(churn.size, true)
    for (let i = 0; i < 10; i++) w.failed()
    expect(w.size).toBe(256)
    // a server that drops every 3rd window: two acknowledged windows between drops keep it large
    const sizes: number[] = []
    for (let cycle = 0; cycle < 20; cycle++) {
      churn.acked(churn.size, true)
      churn.acked(churn.size, true)
      churn.failed()
      sizes.push(churn.size)
    }
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(1024)
  })

  it('never exceeds a small bulkMaxSize', () => {
    const w = new SlowStartWindow(4)
    expect(w.size).toBe(4)
    w.acked(4, true)
    expect(w.size).toBe(4)
    w.failed()
    expect(w.size).toBe(4)
  })

  test.prop([fc.integer({ min: 1, max: 10_000 }), fc.array(fc.oneof(fc.constant('fail' as const), fc.boolean()), { maxLength: 200 })])(
    'stays within [min(10, bulkMaxSize), bulkMaxSize]; an ACK never shrinks it, a failure never grows it',
    (max, steps) => {
      const w = new SlowStartWindow(max)
      for (const step of steps) {
        const before = w.size
        if (step === 'fail') {
          w.failed()
          expect(w.size).toBeLessThanOrEqual(before)
        } else {
          w.acked(step ? before : Math.max(1, before - 1), step)
          expect(w.size).toBeGreaterThanOrEqual(before)
        }
        expect(w.size).toBeGreaterThanOrEqual(Math.min(10, max))
        expect(w.size).toBeLessThanOrEqual(max)
      }
    },
  )
})

describe('parseHost', () => {
  it('reads host:port, defaults the port to 5044 and accepts bracketed IPv6', () => {
    expect(parseHost('logstash.internal:5045')).toEqual({ host: 'logstash.internal', port: 5045 })
    expect(parseHost('10.0.0.1')).toEqual({ host: '10.0.0.1', port: 5044 })
    expect(parseHost('[::1]:6000')).toEqual({ host: '::1', port: 6000 })
    expect(parseHost('[::1]')).toEqual({ host: '::1', port: 5044 })
    for (const bad of ['', 'host:0', 'host:70000', 'host:port', '::1:5044', '[nothost]:1', 'a b:1']) expect(parseHost(bad)).toBeUndefined()
  })
})
