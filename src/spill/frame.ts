import { crc32 } from 'node:zlib'

/**
 * Spill segment format (version 2). A segment is a sequence of frames, each
 *
 *   [u32 LE magic 0x3250534c "LSP2"][u32 LE payload length | UNCHECKED_FRAME][u32 LE record number, low]
 *   [u32 LE record number, high][u32 LE CRC-32 of the payload][u32 LE CRC-32 of the 20 bytes before]
 *   [payload]
 *
 * where the payload is one record (a JSON object text) and the record number counts the
 * records ever appended to this directory (0, 1, 2, ...). Frames never span segments.
 *
 * - The header's own CRC lets a reader trust a length before it reads (and allocates for) the
 *   payload, so a damaged length can never make it wait for bytes that will not come.
 * - The magic lets a reader find the next frame after a damaged one.
 * - The record number tells exactly how many records a damaged stretch held: the next good
 *   frame's number minus the one expected.
 * - The top bit of the length word (UNCHECKED_FRAME; lengths never reach it) marks a record
 *   that write() took as text shaped like a JSON object without checking its grammar: the
 *   engine checks it when it cuts the batch, as it does for such records in the memory ring.
 */
const FRAME_MAGIC = 0x3250534c
export const HEADER_BYTES = 24
/** No record is this large: a length above it means the header itself is damaged. */
const MAX_PAYLOAD = 512 * 1024 * 1024

/** Flag in the length word: the record's JSON grammar is still to be checked (by the engine). */
const UNCHECKED_FRAME = 0x80000000

const MAGIC_BYTES = Buffer.from([0x4c, 0x53, 0x50, 0x32])

/** CRC-32 (the zlib polynomial) table, for the 20 header bytes: a native call costs more than the sum. */
const CRC_TABLE = new Int32Array(256)
for (let n = 0; n < 256; n++) {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  CRC_TABLE[n] = c
}

/** CRC-32 of the 20 header bytes at `at` (equal to zlib's crc32 of them). */
export function headerCrc(bytes: Uint8Array, at: number): number {
  let c = -1
  for (let i = at; i < at + 20; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8)
  return (c ^ -1) >>> 0
}

export function writeHeader(target: Buffer, at: number, payload: Uint8Array, number: number, unchecked = false): void {
  target.writeUInt32LE(FRAME_MAGIC, at)
  target.writeUInt32LE(unchecked ? (payload.byteLength | UNCHECKED_FRAME) >>> 0 : payload.byteLength, at + 4)
  target.writeUInt32LE(number % 2 ** 32, at + 8)
  target.writeUInt32LE(Math.floor(number / 2 ** 32), at + 12)
  target.writeUInt32LE(crc32(payload), at + 16)
  target.writeUInt32LE(headerCrc(target, at), at + 20)
}

/** A whole frame (header and payload) for `payload`, numbered `number`. */
export function encodeFrame(payload: Uint8Array, number: number, unchecked = false): Buffer {
  const frame = Buffer.allocUnsafe(HEADER_BYTES + payload.byteLength)
  frame.set(payload, HEADER_BYTES)
  writeHeader(frame, 0, frame.subarray(HEADER_BYTES), number, unchecked)
  return frame
}

export interface FrameHeader {
  readonly length: number
  readonly number: number
  readonly payloadCrc: number
  readonly unchecked: boolean
}

/** The header at `at` when its magic and its CRC are right, else undefined. */
function readHeader(chunk: Buffer, at: number): FrameHeader | undefined {
  if (chunk.length - at < HEADER_BYTES || chunk.readUInt32LE(at) !== FRAME_MAGIC) return undefined
  if (headerCrc(chunk, at) !== chunk.readUInt32LE(at + 20)) return undefined
  const word = chunk.readUInt32LE(at + 4)
  const length = word & ~UNCHECKED_FRAME
  if (length > MAX_PAYLOAD) return undefined
  return { length, number: chunk.readUInt32LE(at + 8) + chunk.readUInt32LE(at + 12) * 2 ** 32, payloadCrc: chunk.readUInt32LE(at + 16), unchecked: word >= UNCHECKED_FRAME }
}

export type ScanItem =
  | { kind: 'record'; start: number; end: number; number: number; payload: Buffer; unchecked: boolean }
  /** Bytes that are not a valid frame (bad magic, bad header, bad CRC, a length past the end), skipped. */
  | { kind: 'corrupt'; start: number; end: number }

export interface ScanResult {
  /** Where scanning stopped: everything before it was reported. */
  readonly stop: number
  /**
   * When it stopped at a good header whose frame is longer than the chunk (but ends within
   * `limit`): the frame's full length, so the caller can read that much and scan again.
   */
  readonly need?: number
}

/**
 * Scans `chunk` (bytes starting at a frame boundary, or anywhere after damage) for frames.
 * `limit` is how many bytes from the chunk's start are known to hold complete frames (the
 * end of a finished segment, or the writer's position): a frame claiming to run past it is
 * damaged. A frame that runs past the chunk but not past `limit` stops the scan (`need`).
 * Bytes between the last frame and the end of the chunk that cannot start a frame are
 * reported as corrupt only when the chunk reaches `limit`; otherwise they are left for the
 * next read.
 */
export function scanFrames(chunk: Buffer, limit: number, onItem: (item: ScanItem) => void): ScanResult {
  const atLimit = chunk.length >= limit
  let at = 0
  let corruptFrom = -1
  const flushCorrupt = (to: number): void => {
    if (corruptFrom >= 0 && to > corruptFrom) onItem({ kind: 'corrupt', start: corruptFrom, end: to })
    corruptFrom = -1
  }
  const skip = (): void => {
    if (corruptFrom < 0) corruptFrom = at
    at = nextMagic(chunk, at + 1)
  }
  while (at < chunk.length) {
    if (chunk.length - at < HEADER_BYTES) {
      if (!atLimit) break // more bytes may complete this header
      skip() // fewer bytes than a header before a finished end: a torn frame
      continue
    }
    const header = readHeader(chunk, at)
    if (!header) {
      skip()
      continue
    }
    const end = at + HEADER_BYTES + header.length
    if (end > limit) {
      skip() // frames never run past a finished end: the length is damaged
      continue
    }
    if (end > chunk.length) {
      flushCorrupt(at)
      return { stop: at, need: end - at }
    }
    const payload = chunk.subarray(at + HEADER_BYTES, end)
    if (crc32(payload) !== header.payloadCrc) {
      skip()
      continue
    }
    flushCorrupt(at)
    onItem({ kind: 'record', start: at, end, number: header.number, payload, unchecked: header.unchecked })
    at = end
  }
  at = Math.min(at, chunk.length)
  flushCorrupt(at)
  return { stop: at }
}

/** The next offset after `from` that may start a frame: a magic, or the last bytes that may begin one. */
function nextMagic(chunk: Buffer, from: number): number {
  const i = chunk.indexOf(MAGIC_BYTES, from)
  if (i >= 0) return i
  // A magic cut by the end of the chunk: keep its first bytes for the next read.
  for (let k = Math.max(from, chunk.length - 3); k < chunk.length; k++) {
    if (MAGIC_BYTES.subarray(0, chunk.length - k).equals(chunk.subarray(k))) return k
  }
  return chunk.length
}
