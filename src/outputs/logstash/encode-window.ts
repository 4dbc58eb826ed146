import { deflate } from 'node:zlib'
import { encodeCompressedHeader, encodeJsonFrames, encodeWindow } from './frames.js'

/**
 * The frames of one window, ready to write: `2W count`, then the `2J` frames as they are
 * (level 0) or one `2C` frame holding them zlib-compressed. Compression runs on the libuv
 * thread pool, so several windows compress while others are on the wire.
 */
export function encodeWindowFrames(records: readonly Uint8Array[], level: number): Promise<Buffer[]> {
  const window = encodeWindow(records.length)
  const json = encodeJsonFrames(records, 0, records.length)
  if (level === 0) return Promise.resolve([window, json])
  return new Promise((resolve, reject) => {
    deflate(json, { level }, (err, compressed) => {
      if (err) reject(err)
      else resolve([window, encodeCompressedHeader(compressed.byteLength), compressed])
    })
  })
}
