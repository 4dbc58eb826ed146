import { describe, expect } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { crc32 } from 'node:zlib'
import { HEADER_BYTES, headerCrc, scanFrames, writeHeader, type ScanItem } from '../../src/spill/frame.js'

/** Frames for `payloads`, back to back, as the spill writer lays them out in a segment. */
function encode(payloads: readonly Uint8Array[], unchecked: readonly boolean[] = []): { bytes: Buffer; starts: number[] } {
  const bytes = Buffer.alloc(payloads.reduce((n, p) => n + HEADER_BYTES + p.byteLength, 0))
  const starts: number[] = []
  let at = 0
  for (const [k, p] of payloads.entries()) {
    starts.push(at)
    writeHeader(bytes, at, p, k, unchecked[k] ?? false)
    bytes.set(p, at + HEADER_BYTES)
    at += HEADER_BYTES + p.byteLength
  }
  return { bytes, starts }
}

/** Scans `bytes`; `limit` says how far complete frames reach (default: the bytes are a finished segment). */
function scan(bytes: Buffer, limit = bytes.length): { items: ScanItem[]; stoppedAt: number } {
  const items: ScanItem[] = []
  const stoppedAt = scanFrames(bytes, limit, (item) => items.push(item)).stop
  return { items, stoppedAt }
}

const payload = fc.uint8Array({ minLength: 0, maxLength: 300 })
const payloads = fc.array(payload, { minLength: 1, maxLength: 20 })

describe('spill frames (properties)', () => {
  test.prop([payloads])('scanning encoded frames gives back every payload, in order, and stops at the end', (ps) => {
    const { bytes, starts } = encode(ps)
    const { items, stoppedAt } = scan(bytes)
    expect(stoppedAt).toBe(bytes.length)
    expect(items.map((i) => i.kind)).toEqual(ps.map(() => 'record'))
    items.forEach((item, k) => {
      expect(item.start).toBe(starts[k])
      expect(item).toMatchObject({ kind: 'record', number: k })
      expect(Buffer.from((item as { payload: Buffer }).payload)).toEqual(Buffer.from(ps[k]!))
    })
  })

  test.prop([payloads, fc.nat()])('a prefix yields exactly the frames it holds whole and stops at the first incomplete one', (ps, cut) => {
    const { bytes, starts } = encode(ps)
    const length = cut % (bytes.length + 1)
    // more bytes may follow (the writer's segment): the scan stops before the incomplete frame
    const { items, stoppedAt } = scan(bytes.subarray(0, length), bytes.length)
    const whole = starts.filter((s, k) => s + HEADER_BYTES + ps[k]!.byteLength <= length)
    expect(items.map((i) => i.start)).toEqual(whole)
    expect(items.every((i) => i.kind === 'record')).toBe(true)
    expect(stoppedAt).toBe(whole.length === starts.length ? bytes.length : starts[whole.length])
  })

  test.prop([payloads, fc.nat()])('a finished segment cut anywhere (a torn tail): the whole frames are records, the rest one damaged stretch, nothing left over', (ps, cut) => {
    const { bytes, starts } = encode(ps)
    const length = cut % (bytes.length + 1)
    const { items, stoppedAt } = scan(bytes.subarray(0, length))
    const whole = starts.filter((s, k) => s + HEADER_BYTES + ps[k]!.byteLength <= length)
    expect(items.filter((i) => i.kind === 'record').map((i) => i.start)).toEqual(whole)
    const tail = whole.length === starts.length ? length : starts[whole.length]!
    expect(items.filter((i) => i.kind === 'corrupt').map((i) => [i.start, i.end])).toEqual(tail < length ? [[tail, length]] : [])
    expect(stoppedAt).toBe(length)
  })

  test.prop([payloads, fc.nat(), fc.integer({ min: 1, max: 255 })])('any flipped byte is caught: no altered payload is ever returned as a record', (ps, where, xor) => {
    const { bytes, starts } = encode(ps)
    const at = where % bytes.length
    bytes[at]! ^= xor
    const { items } = scan(bytes)
    for (const item of items) {
      if (item.kind !== 'record') continue
      // a record is only ever an untouched original frame, at its original place
      const k = starts.indexOf(item.start)
      expect(k).toBeGreaterThanOrEqual(0)
      expect(at < item.start || at >= item.end).toBe(true)
      expect(Buffer.from(item.payload)).toEqual(Buffer.from(ps[k]!))
      expect(item.number).toBe(k)
    }
  })

  test.prop([fc.array(fc.tuple(payload, fc.boolean()), { minLength: 1, maxLength: 20 })])(
    "the unchecked mark comes back with each record, and the length is the payload's",
    (entries) => {
      const { bytes } = encode(
        entries.map(([p]) => p),
        entries.map(([, u]) => u),
      )
      const { items, stoppedAt } = scan(bytes)
      expect(stoppedAt).toBe(bytes.length)
      expect(items.map((i) => (i.kind === 'record' ? [Buffer.from(i.payload), i.unchecked] : i.kind))).toEqual(entries.map(([p, u]) => [Buffer.from(p), u]))
    },
  )

  test.prop([fc.uint8Array({ minLength: 20, maxLength: 64 }), fc.nat()])("the header CRC is zlib's CRC-32 of the 20 header bytes", (bytes, where) => {
    const at = where % (bytes.length - 19)
    expect(headerCrc(bytes, at)).toBe(crc32(bytes.subarray(at, at + 20)))
  })
})
