import { BufferPool } from '../../util/buffer-pool.js'
import { CompressorPool } from '../../util/compressor-pool.js'
import type { RecordLayout } from '../output.js'
import {
  COMPRESSED_HEADER_BYTES,
  jsonFramesSize,
  layoutFramesSize,
  WINDOW_FRAME_BYTES,
  writeCompressedHeader,
  writeJsonFrames,
  writeLayoutFrames,
  writeWindowFrame,
} from './frames.js'

/** The frames of one window, ready to write, and what to call once they are written (or will not be). */
export interface EncodedWindow {
  readonly frames: readonly Buffer[]
  /** Gives the window's buffer back for the next window; safe to call more than once. */
  readonly written: () => void
}

/**
 * Encodes windows: `2W count`, then the `2J` frames as they are (level 0, one buffer with
 * the `2W` frame) or one `2C` frame holding them zlib-compressed. The `2J` frames are
 * written into pooled buffers. Compression runs on the libuv thread pool, so windows
 * compress while others are on the wire and their ACKs are read.
 */
export class WindowEncoder {
  readonly #pool: BufferPool
  /** One complete zlib stream per window (a `2C` frame), from reused compressors; none at level 0. */
  readonly #compressors: CompressorPool | undefined

  /** `windowsAtOnce`: windows that can be encoded or on their way to the socket at the same time (buffers kept). */
  constructor(level: number, windowsAtOnce: number) {
    this.#pool = new BufferPool({ keep: windowsAtOnce })
    this.#compressors = level === 0 ? undefined : new CompressorPool({ format: 'deflate', level, atOnce: windowsAtOnce })
  }

  /** Frees the kept zlib streams. */
  close(): void {
    this.#compressors?.close()
  }

  /**
   * The frames of the window holding the records at `indexes`, in that order: from a batch's
   * `layout` when it has one (no view per record), else from its `records`.
   */
  encode(records: readonly Uint8Array[] | RecordLayout, indexes: readonly number[]): EncodedWindow | Promise<EncodedWindow> {
    const fromLayout = !Array.isArray(records)
    const jsonBytes = fromLayout ? layoutFramesSize(records as RecordLayout, indexes) : jsonFramesSize(records as readonly Uint8Array[], indexes)
    const write = (buffer: Buffer, at: number): number =>
      fromLayout ? writeLayoutFrames(buffer, at, records as RecordLayout, indexes) : writeJsonFrames(buffer, at, records as readonly Uint8Array[], indexes)
    if (this.#compressors === undefined) {
      const { buffer, giveBack } = this.#pool.lease(WINDOW_FRAME_BYTES + jsonBytes)
      const end = write(buffer, writeWindowFrame(buffer, 0, indexes.length))
      return { frames: [buffer.subarray(0, end)], written: giveBack }
    }
    const { buffer, giveBack } = this.#pool.lease(jsonBytes)
    const end = write(buffer, 0)
    return this.#compressors.compress(buffer.subarray(0, end)).then(
      ({ chunks, length }) => {
        giveBack() // zlib is done reading it
        const header = Buffer.allocUnsafe(WINDOW_FRAME_BYTES + COMPRESSED_HEADER_BYTES)
        writeCompressedHeader(header, writeWindowFrame(header, 0, indexes.length), length)
        return { frames: [header, ...chunks], written: () => {} }
      },
      (err: unknown) => {
        giveBack()
        throw err
      },
    )
  }
}

/** The frames of one window of `records` at `level`, as new buffers (tests and tools). */
export async function encodeWindowFrames(records: readonly Uint8Array[], level: number): Promise<Buffer[]> {
  const encoder = new WindowEncoder(level, 0)
  const encoded = await encoder.encode(
    records,
    records.map((_, i) => i),
  )
  encoder.close()
  return encoded.frames.map((frame) => Buffer.from(frame))
}
