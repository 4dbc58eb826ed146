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

import type { RecordLayout } from '../output.js'
import { indexRange } from '../../util/index-range.js'

export const VERSION = 0x32 // '2'
const WINDOW = 0x57 // 'W'
const JSON_DATA = 0x4a // 'J'
const COMPRESSED = 0x43 // 'C'
export const ACK = 0x41 // 'A'

export const WINDOW_FRAME_BYTES = 6
export const ACK_FRAME_BYTES = 6
const JSON_HEADER_BYTES = 10
export const COMPRESSED_HEADER_BYTES = 6

function header(type: number, value: number): Buffer {
  const frame = Buffer.allocUnsafe(6)
  writeHeader(frame, 0, type, value)
  return frame
}

export function encodeWindow(count: number): Buffer {
  return header(WINDOW, count)
}

export function encodeAck(seq: number): Buffer {
  return header(ACK, seq)
}

/**
 * The J frames for `records[from..to)` with sequence numbers 1..(to-from), in one new buffer.
 * Records are copied as they are: each already is one JSON object text.
 */
export function encodeJsonFrames(records: readonly Uint8Array[], from: number, to: number): Buffer {
  const indexes = indexRange(from, to)
  const out = Buffer.allocUnsafe(jsonFramesSize(records, indexes))
  writeJsonFrames(out, 0, records, indexes)
  return out
}

/** Bytes the J frames of `records[indexes]` take. */
export function jsonFramesSize(records: readonly Uint8Array[], indexes: readonly number[]): number {
  let size = indexes.length * JSON_HEADER_BYTES
  for (let k = 0; k < indexes.length; k++) size += records[indexes[k]!]!.byteLength
  return size
}

/** Writes `2W count` at `at` in `out`; returns where it ends. */
export function writeWindowFrame(out: Buffer, at: number, count: number): number {
  return writeHeader(out, at, WINDOW, count)
}

/** Writes the header of a `2C` frame of `zlibLength` bytes at `at` in `out`; returns where it ends. */
export function writeCompressedHeader(out: Buffer, at: number, zlibLength: number): number {
  return writeHeader(out, at, COMPRESSED, zlibLength)
}

/**
 * Writes the J frames of `records[indexes]` (sequence numbers 1..n) into `out` from `at`;
 * returns where they end. `out` must have room for `jsonFramesSize` bytes.
 */
export function writeJsonFrames(out: Buffer, at: number, records: readonly Uint8Array[], indexes: readonly number[]): number {
  for (let k = 0; k < indexes.length; k++) {
    const record = records[indexes[k]!]!
    const length = record.byteLength
    writeJsonHeader(out, at, k + 1, length)
    out.set(record, at + JSON_HEADER_BYTES)
    at += JSON_HEADER_BYTES + length
  }
  return at
}

/** Bytes the J frames of the records at `indexes` of `layout` take. */
export function layoutFramesSize(layout: RecordLayout, indexes: readonly number[]): number {
  let size = indexes.length * JSON_HEADER_BYTES
  for (let k = 0; k < indexes.length; k++) size += layout.lengths[indexes[k]!]!
  return size
}

/**
 * Writes the J frames of the records at `indexes` of `layout` (sequence numbers 1..n) into
 * `out` from `at`; returns where they end. `out` must have room for `layoutFramesSize` bytes.
 *
 * When the records sit back to back in the arena, each followed by one newline (a window of a
 * batch as the engine cut it), they are copied with one memcpy to the end of their place in
 * `out`, then each is moved down to its final place and its header written in front: no view
 * object per record (a view per record and its copy cost ~2× as much, see
 * bench/profiles/logstash-worker.md). Every record moves down by 9 bytes per record after it,
 * so a move never overwrites a record not moved yet.
 */
export function writeLayoutFrames(out: Buffer, at: number, layout: RecordLayout, indexes: readonly number[]): number {
  const n = indexes.length
  if (n === 0) return at
  const { arena, starts, lengths } = layout
  const first = indexes[0]!
  const last = indexes[n - 1]!
  if (!backToBack(layout, indexes)) {
    for (let k = 0; k < n; k++) {
      const i = indexes[k]!
      const start = starts[i]!
      const length = lengths[i]!
      writeJsonHeader(out, at, k + 1, length)
      out.set(arena.subarray(start, start + length), at + JSON_HEADER_BYTES)
      at += JSON_HEADER_BYTES + length
    }
    return at
  }
  // the block holds the records and the newlines between them (not the last one)
  const blockStart = starts[first]!
  const blockEnd = starts[last]! + lengths[last]!
  const from = at + 9 * n + 1
  out.set(arena.subarray(blockStart, blockEnd), from)
  for (let k = 0; k < n; k++) {
    const i = indexes[k]!
    const length = lengths[i]!
    const source = from + starts[i]! - blockStart
    out.copyWithin(at + JSON_HEADER_BYTES, source, source + length)
    writeJsonHeader(out, at, k + 1, length)
    at += JSON_HEADER_BYTES + length
  }
  return at
}

/** The records at `indexes` follow each other in the arena with exactly one byte (the newline) between them. */
function backToBack(layout: RecordLayout, indexes: readonly number[]): boolean {
  const { starts, lengths } = layout
  for (let k = 1; k < indexes.length; k++) {
    const previous = indexes[k - 1]!
    if (starts[indexes[k]!] !== starts[previous]! + lengths[previous]! + 1) return false
  }
  return true
}

/** The 10-byte header of a J frame, written byte by byte: `writeUInt32BE` twice per record cost more than copying the record. */
function writeJsonHeader(out: Buffer, at: number, seq: number, length: number): void {
  out[at] = VERSION
  out[at + 1] = JSON_DATA
  out[at + 2] = seq >>> 24
  out[at + 3] = (seq >>> 16) & 0xff
  out[at + 4] = (seq >>> 8) & 0xff
  out[at + 5] = seq & 0xff
  out[at + 6] = length >>> 24
  out[at + 7] = (length >>> 16) & 0xff
  out[at + 8] = (length >>> 8) & 0xff
  out[at + 9] = length & 0xff
}

function writeHeader(out: Buffer, at: number, type: number, value: number): number {
  out[at] = VERSION
  out[at + 1] = type
  out.writeUInt32BE(value, at + 2)
  return at + 6
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
