import { crc32 } from 'node:zlib'

/**
 * Spill segment format (version 1). A segment is a sequence of frames, each
 *
 *   [u32 LE magic 0x4c53504c "LSPL"][u32 LE payload length][u32 LE CRC-32 of payload][payload]
 *
 * where the payload is one record (a JSON object text). Frames never span segments. The
 * magic lets a reader find the next frame after a damaged one; the CRC tells a damaged or
 * torn frame from a good one.
 */
export const FRAME_MAGIC = 0x4c53504c
export const HEADER_BYTES = 12
/** No record is this large: a length above it means the header itself is damaged. */
export const MAX_PAYLOAD = 512 * 1024 * 1024

export function writeHeader(target: Buffer, at: number, payload: Uint8Array): void {
  target.writeUInt32LE(FRAME_MAGIC, at)
  target.writeUInt32LE(payload.byteLength, at + 4)
  target.writeUInt32LE(crc32(payload), at + 8)
}

export type ScanItem =
  | { kind: 'record'; start: number; end: number; payload: Buffer }
  /** Bytes that are not a valid frame (bad magic, bad length or bad CRC), skipped. */
  | { kind: 'corrupt'; start: number; end: number }

/**
 * Scans `chunk` (bytes starting at a frame boundary) for frames. Stops before an incomplete
 * frame at the end and returns where it stopped (the caller reads on from there, or, at the
 * end of the data, treats the rest as a torn write).
 */
export function scanFrames(chunk: Buffer, onItem: (item: ScanItem) => void): number {
  let at = 0
  let corruptFrom = -1
  const flushCorrupt = (to: number): void => {
    if (corruptFrom >= 0) onItem({ kind: 'corrupt', start: corruptFrom, end: to })
    corruptFrom = -1
  }
  while (chunk.length - at >= HEADER_BYTES) {
    if (chunk.readUInt32LE(at) !== FRAME_MAGIC) {
      if (corruptFrom < 0) corruptFrom = at
      at = nextMagic(chunk, at + 1)
      continue
    }
    const len = chunk.readUInt32LE(at + 4)
    if (len > MAX_PAYLOAD) {
      if (corruptFrom < 0) corruptFrom = at
      at = nextMagic(chunk, at + 1)
      continue
    }
    if (chunk.length - at - HEADER_BYTES < len) break // incomplete: more data needed
    const payload = chunk.subarray(at + HEADER_BYTES, at + HEADER_BYTES + len)
    if (crc32(payload) !== chunk.readUInt32LE(at + 8)) {
      if (corruptFrom < 0) corruptFrom = at
      at = nextMagic(chunk, at + 1)
      continue
    }
    flushCorrupt(at)
    onItem({ kind: 'record', start: at, end: at + HEADER_BYTES + len, payload })
    at += HEADER_BYTES + len
  }
  if (corruptFrom >= 0) {
    // keep the unscanned tail for the next read; report what is certainly damaged
    flushCorrupt(at)
  }
  return at
}

const MAGIC_BYTES = Buffer.from([0x4c, 0x50, 0x53, 0x4c])

function nextMagic(chunk: Buffer, from: number): number {
  const i = chunk.indexOf(MAGIC_BYTES, from)
  return i < 0 ? Math.max(from, chunk.length - (HEADER_BYTES - 1)) : i
}
