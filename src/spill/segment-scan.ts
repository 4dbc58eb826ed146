import { closeSync, readSync } from 'node:fs'
import { openExistingSync } from '../fs/safe-file.js'
import { scanFrames, type ScanItem } from './frame.js'

const CHUNK = 1024 * 1024

/**
 * Streams the frames of bytes [from, to) of a segment file, one chunk at a time (a chunk
 * grows only to hold one long frame whose header is valid), so no segment is ever read whole.
 * Item offsets are file offsets. `onItem` returns false to stop early.
 */
export function scanSegmentFile(path: string, from: number, to: number, onItem: (item: ScanItem) => boolean | undefined): void {
  // reading another user's segment is harmless (links never are): only writes follow strictPerms
  const fd = openExistingSync(path, 'r', { what: 'spill segment', strictPerms: false })
  try {
    let at = from
    let size = CHUNK
    let stopped = false
    while (at < to && !stopped) {
      const want = Math.min(size, to - at)
      const chunk = Buffer.allocUnsafe(want)
      let got = 0
      while (got < want) {
        const n = readSync(fd, chunk, got, want - got, at + got)
        if (n === 0) break
        got += n
      }
      const data = chunk.subarray(0, got)
      const limit = got < want ? got : to - at // a file shorter than `to` ends where it ends
      const result = scanFrames(data, limit, (item) => {
        if (stopped) return
        if (onItem({ ...item, start: at + item.start, end: at + item.end }) === false) stopped = true
      })
      if (result.need !== undefined && result.stop === 0) size = result.need
      else {
        size = CHUNK
        if (result.stop === 0 && data.length >= limit) break // nothing more can be read here
        at += result.stop
      }
      if (got === 0) break
    }
  } finally {
    closeSync(fd)
  }
}
