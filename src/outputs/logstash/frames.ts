/**
 * Lumberjack v2 frames (the Beats protocol spoken to Logstash's `beats` input).
 * Every frame starts with the version byte `'2'` and a type byte; every integer is an
 * unsigned 32-bit big-endian number.
 *
 * - `2W count`                 a window: the next `count` events form one acknowledged unit
 * - `2J seq len bytes`         one event as JSON text; seq runs 1..count inside each window
 * - `2C len bytes`             a zlib stream whose inflated bytes are whole frames (the J frames)
 * - `2A seq`                   server → client: events 1..seq of the current window are taken
 */

export const VERSION = 0x32 // '2'
const WINDOW = 0x57 // 'W'
const JSON_DATA = 0x4a // 'J'
const COMPRESSED = 0x43 // 'C'
export const ACK = 0x41 // 'A'

export const ACK_FRAME_BYTES = 6
const JSON_HEADER_BYTES = 10
const COMPRESSED_HEADER_BYTES = 6

function header(type: number, value: number): Buffer {
  const frame = Buffer.allocUnsafe(6)
  frame[0] = VERSION
  frame[1] = type
  frame.writeUInt32BE(value, 2)
  return frame
}

export function encodeWindow(count: number): Buffer {
  return header(WINDOW, count)
}

export function encodeAck(seq: number): Buffer {
  return header(ACK, seq)
}

/** The header of a `2C` frame; the zlib bytes follow it. */
export function encodeCompressedHeader(zlibLength: number): Buffer {
  return header(COMPRESSED, zlibLength)
}

/**
 * The J frames for `records[from..to)` with sequence numbers 1..(to-from), in one buffer.
 * Records are copied as they are: each already is one JSON object text.
 */
export function encodeJsonFrames(records: readonly Uint8Array[], from: number, to: number): Buffer {
  let size = 0
  for (let i = from; i < to; i++) size += JSON_HEADER_BYTES + records[i]!.byteLength
  const out = Buffer.allocUnsafe(size)
  let at = 0
  for (let i = from; i < to; i++) {
    const record = records[i]!
    out[at] = VERSION
    out[at + 1] = JSON_DATA
    out.writeUInt32BE(i - from + 1, at + 2)
    out.writeUInt32BE(record.byteLength, at + 6)
    out.set(record, at + JSON_HEADER_BYTES)
    at += JSON_HEADER_BYTES + record.byteLength
  }
  return out
}

export type Frame =
  | { readonly type: 'window'; readonly count: number }
  | { readonly type: 'json'; readonly seq: number; readonly payload: Buffer }
  | { readonly type: 'compressed'; readonly payload: Buffer }
  | { readonly type: 'ack'; readonly seq: number }

export class FrameError extends Error {
  override readonly name = 'FrameError'
}

/**
 * Decodes the frame that starts at `offset`. Returns the frame and the offset after it, or
 * `undefined` when `bytes` does not hold the whole frame yet. Throws FrameError on bytes
 * that are not a Lumberjack v2 frame.
 */
export function decodeFrame(bytes: Buffer, offset = 0): { frame: Frame; next: number } | undefined {
  if (bytes.length - offset < 6) return undefined
  const version = bytes[offset]!
  const type = bytes[offset + 1]!
  if (version !== VERSION) throw new FrameError(`expected protocol version '2' (0x32), got 0x${hex(version)}`)
  const value = bytes.readUInt32BE(offset + 2)
  switch (type) {
    case WINDOW:
      return { frame: { type: 'window', count: value }, next: offset + 6 }
    case ACK:
      return { frame: { type: 'ack', seq: value }, next: offset + 6 }
    case JSON_DATA: {
      if (bytes.length - offset < JSON_HEADER_BYTES) return undefined
      const length = bytes.readUInt32BE(offset + 6)
      const end = offset + JSON_HEADER_BYTES + length
      if (bytes.length < end) return undefined
      return { frame: { type: 'json', seq: value, payload: bytes.subarray(offset + JSON_HEADER_BYTES, end) }, next: end }
    }
    case COMPRESSED: {
      const end = offset + COMPRESSED_HEADER_BYTES + value
      if (bytes.length < end) return undefined
      return { frame: { type: 'compressed', payload: bytes.subarray(offset + COMPRESSED_HEADER_BYTES, end) }, next: end }
    }
    default:
      throw new FrameError(`unknown frame type 0x${hex(type)}`)
  }
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0')
}
