import { crc32 } from 'node:zlib'

/**
 * Spill segment format (version 2). A segment is a sequence of frames, each
 *
 *   [u32 LE magic 0x3250534c "LSP2"][u32 LE payload length][u32 LE record number, low]
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
 */
const FRAME_MAGIC = 0x3250534c
export const HEADER_BYTES = 24
/** No record is this large: a length above it means the header itself is damaged. */
const MAX_PAYLOAD = 512 * 1024 * 1024

const MAGIC_BYTES = Buffer.from([0x4c, 0x53, 0x50, 0x32])

export function writeHeader(target: Buffer, at: number, payload: Uint8Array, number: number): void {
  target.writeUInt32LE(FRAME_MAGIC, at)
  target.writeUInt32LE(payload.byteLength, at + 4)
  target.writeUInt32LE(number % 2 ** 32, at + 8)
  target.writeUInt32LE(Math.floor(number / 2 ** 32), at + 12)
  target.writeUInt32LE(crc32(payload), at + 16)
  target.writeUInt32LE(crc32(target.subarray(at, at + 20)), at + 20)
}

/** A whole frame (header and payload) for `payload`, numbered `number`. */
export function encodeFrame(payload: Uint8Array, number: number): Buffer {
  const frame = Buffer.allocUnsafe(HEADER_BYTES + payload.byteLength)
  frame.set(payload, HEADER_BYTES)
  writeHeader(frame, 0, frame.subarray(HEADER_BYTES), number)
  return frame
}

export interface FrameHeader {
  readonly length: number
  readonly number: number
  readonly payloadCrc: number
}

/** The header at `at` when its magic and its CRC are right, else undefined. */
function readHeader(chunk: Buffer, at: number): FrameHeader | undefined {
  if (chunk.length - at < HEADER_BYTES || chunk.readUInt32LE(at) !== FRAME_MAGIC) return undefined
  if (crc32(chunk.subarray(at, at + 20)) !== chunk.readUInt32LE(at + 20)) return undefined
  const length = chunk.readUInt32LE(at + 4)
  if (length > MAX_PAYLOAD) return undefined
  return { length, number: chunk.readUInt32LE(at + 8) + chunk.readUInt32LE(at + 12) * 2 ** 32, payloadCrc: chunk.readUInt32LE(at + 16) }
}

export type ScanItem =
  | { kind: 'record'; start: number; end: number; number: number; payload: Buffer }
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
    onItem({ kind: 'record', start: at, end, number: header.number, payload })
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
