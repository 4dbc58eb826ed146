import { describe, it, expect } from 'vitest'
import { createSharedState, Control, framedSize } from '../../src/shared/layout.js'
import { RingWriter } from '../../src/ring/ring-writer.js'
import { RingReader } from '../../src/ring/ring-reader.js'

/** Deterministic pseudo-random numbers so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

describe('shared ring', () => {
  it('returns records in FIFO order across thousands of wrap-arounds (model test)', () => {
    const state = createSharedState(4096)
    const writer = new RingWriter(state, 4096, () => {})
    const reader = new RingReader(state)
    const control = new Int32Array(state.control)
    const random = rng(42)
    const model: string[] = []
    let written = 0
    for (let step = 0; step < 20_000; step++) {
      if (random() < 0.6) {
        const len = Math.floor(random() * 300)
        const text = `${written}:${'é漢'.repeat(len % 37)}${'x'.repeat(len)}`
        const outcome = random() < 0.5 ? writer.writeString(text, false) : writer.writeBytes(Buffer.from(text), false)
        if (outcome === 'accepted') {
          model.push(text)
          written++
        } else {
          expect(outcome).toBe('full')
        }
      } else {
        const limit = 1 + Math.floor(random() * 5)
        let ring = 0
        reader.read((offset, length, ringBytes) => {
          expect(reader.view(offset, length).toString('utf8')).toBe(model.shift())
          Atomics.sub(control, Control.USED_BYTES, framedSize(length)) // what the engine does on settle
          ring += ringBytes
        }, limit)
        reader.release(ring)
      }
    }
    let rest = 0
    reader.read((offset, length, ringBytes) => {
      expect(reader.view(offset, length).toString('utf8')).toBe(model.shift())
      rest += ringBytes
    })
    reader.release(rest)
    expect(model).toEqual([])
    expect(written).toBeGreaterThan(5000)
    expect(Atomics.load(control, Control.RING_FILL)).toBe(0)
  })

  it('refuses a record larger than half the ring, whatever its state', () => {
    const state = createSharedState(4096)
    const writer = new RingWriter(state, 4096, () => {})
    expect(writer.writeString('x'.repeat(writer.maxRecordBytes + 1), false)).toBe('too_large')
    expect(writer.writeString('x'.repeat(writer.maxRecordBytes), false)).toBe('accepted')
  })

  it('counts the budget by framed bytes and refuses past it unless asked to ignore it (drop-oldest)', () => {
    const state = createSharedState(64 * 1024)
    const writer = new RingWriter(state, 256, () => {}) // budget far below the 64 KiB ring
    let accepted = 0
    while (writer.writeString('0123456789012345678901234567890123456789012345678901234567890', false) === 'accepted') accepted++
    expect(accepted).toBe(3) // 4-byte header + 61 bytes padded to 64 = 68 per record; 3 x 68 <= 256
    expect(writer.writeString('0123456789012345678901234567890123456789012345678901234567890', true)).toBe('accepted')
  })
})
