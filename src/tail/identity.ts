import { open, stat } from 'node:fs/promises'
import type { FileState } from './file-state.js'
import { hashBytes, fingerprintPath, type Fingerprint } from './fingerprint.js'

/** Heads shorter than this are not trusted to say two files hold the same content. */
const MIN_MATCH_BYTES = 64

/** Bytes compared at the end of a possible copy (see `copyOfLive`). */
const TAIL_BYTES = 1024

/**
 * Whether `state`'s content and the file fingerprinted as `fp` start with the same bytes,
 * compared over the shorter of the two heads (at least MIN_MATCH_BYTES): a copy being
 * written is a prefix of its original's head, a file that grew has a longer one.
 */
export function sameHead(state: FileState, fp: Fingerprint): boolean {
  if (state.head) {
    const n = Math.min(state.head.length, fp.head.length)
    return n >= MIN_MATCH_BYTES && state.head.subarray(0, n).equals(fp.head.subarray(0, n))
  }
  // Loaded from the registry (only the hash is kept): compare over the length it covers.
  if (state.fpLen < MIN_MATCH_BYTES || fp.len < state.fpLen) return false
  return hashBytes(fp.head.subarray(0, state.fpLen)) === state.fpHash
}

/**
 * Whether the file at `copyPath` (`copy.size` bytes) holds the same bytes as the start of the
 * live file of `original`: compared at its last KiB, where a file that only shares a
 * banner with the other differs. `undefined` when it cannot be told yet (the original is
 * shorter: it may just have been truncated).
 */
export async function copyOfLive(original: FileState, copyPath: string, copy: { dev: number; ino: number; size: number }): Promise<boolean | undefined> {
  const size = copy.size
  const from = Math.max(0, size - TAIL_BYTES)
  const length = size - from
  let a, b
  try {
    a = await open(original.path, 'r')
    b = await open(copyPath, 'r')
    const [sa, sb] = await Promise.all([a.stat(), b.stat()])
    // Either path may have been renamed to another file since the scan (logrotate shifts every copy).
    if (sa.ino !== original.ino || sa.dev !== original.dev || sb.ino !== copy.ino || sb.dev !== copy.dev || sb.size !== size) return undefined
    if (sa.size < size) return undefined
    const x = Buffer.alloc(length)
    const y = Buffer.alloc(length)
    const [rx, ry] = await Promise.all([a.read(x, 0, length, from), b.read(y, 0, length, from)])
    return rx.bytesRead === length && ry.bytesRead === length && x.equals(y)
  } catch {
    return undefined
  } finally {
    await a?.close()
    await b?.close()
  }
}

/**
 * Whether the file of `state` certainly no longer holds the content `state` describes: it is
 * shorter than what was read of it, or its first bytes are not the head `state` knows
 * (truncated and written again). False when that cannot be told (it was renamed or cannot be read).
 */
export async function replacedSince(state: FileState): Promise<boolean> {
  if (state.size < state.readOffset) return true
  try {
    const fp = await fingerprintPath(state.path, state.fpLen, state.dev, state.ino)
    return fp !== undefined && (fp.len < state.fpLen || fp.hash !== state.fpHash)
  } catch {
    return false
  }
}

/**
 * Whether the file a state was restored from the registry for (no input has claimed it since
 * the start) is still at its path under its inode. A state whose inode is gone is gone, even
 * if that inode number now belongs to another file: its content may show up under a new inode.
 */
export async function stillAt(state: FileState): Promise<boolean> {
  try {
    const st = await stat(state.path)
    return st.dev === state.dev && st.ino === state.ino
  } catch {
    return false
  }
}
