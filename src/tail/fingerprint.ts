import { lazyRequire } from '../util/lazy-require.js'
import { open, read, close, fstat } from 'node:fs'
import { FINGERPRINT_BYTES } from './file-state.js'
import { binaryReason, BINARY_WINDOW_BYTES } from './binary.js'

const crypto = lazyRequire<typeof import('node:crypto')>('node:crypto')

export interface Fingerprint {
  /** Head bytes hashed (min(size, 1024)). */
  readonly len: number
  readonly hash: string
  /** The head bytes themselves (a copy being written is recognised as a prefix of them). */
  readonly head: Buffer
}

export interface FirstLook extends Fingerprint {
  /** Why the file looks binary (see binary.ts), or undefined for text. */
  readonly binary: string | undefined
}

export function hashBytes(bytes: Uint8Array): string {
  return crypto().createHash('sha256').update(bytes).digest('base64url').slice(0, 22)
}

/** Reads `length` bytes at `position` (fewer at the end of the file). */
export function readAt(fd: number, buffer: Buffer, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    read(fd, buffer, 0, length, position, (err, bytesRead) => (err ? reject(err) : resolve(bytesRead)))
  })
}

export function openForRead(path: string): Promise<number> {
  return new Promise((resolve, reject) => open(path, 'r', (err, fd) => (err ? reject(err) : resolve(fd))))
}

export function closeFd(fd: number): Promise<void> {
  return new Promise((resolve) => close(fd, () => resolve()))
}

async function readHead(fd: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(Math.max(length, 1))
  let got = 0
  while (got < length) {
    const n = await readAt(fd, buf.subarray(got), length - got, got)
    if (n === 0) break
    got += n
  }
  return buf.subarray(0, got)
}

/** The fingerprint of an open file's first `min(size, 1024)` bytes. */
export async function fingerprintFd(fd: number, size: number, length = Math.min(size, FINGERPRINT_BYTES)): Promise<Fingerprint> {
  const head = Buffer.from(await readHead(fd, length))
  return { len: head.length, hash: hashBytes(head), head }
}

/** The device and inode of an open file: a path may have been renamed to another file between a stat and an open. */
function identityOf(fd: number): Promise<{ dev: number; ino: number; size: number }> {
  return new Promise((resolve, reject) => fstat(fd, (err, st) => (err ? reject(err) : resolve({ dev: st.dev, ino: st.ino, size: st.size }))))
}

/** Opens a file, fingerprints its first `length` bytes, closes it. Undefined when the path no longer leads to `dev`/`ino`. */
export async function fingerprintPath(path: string, length: number, dev: number, ino: number): Promise<Fingerprint | undefined> {
  const fd = await openForRead(path)
  try {
    const id = await identityOf(fd)
    if (id.dev !== dev || id.ino !== ino) return undefined
    return await fingerprintFd(fd, length, length)
  } finally {
    await closeFd(fd)
  }
}

/**
 * Opens a file seen for the first time, fingerprints it, judges whether it is binary, closes
 * it. Undefined when the path no longer leads to `dev`/`ino` (renamed under us: next scan).
 */
export async function firstLook(path: string, size: number, textEncoding: string, dev: number, ino: number): Promise<FirstLook | undefined> {
  const fd = await openForRead(path)
  try {
    const id = await identityOf(fd)
    if (id.dev !== dev || id.ino !== ino) return undefined
    const window = await readHead(fd, Math.min(size, BINARY_WINDOW_BYTES))
    const head = Buffer.from(window.subarray(0, Math.min(window.length, FINGERPRINT_BYTES)))
    return { len: head.length, hash: hashBytes(head), head, binary: binaryReason(window, textEncoding) }
  } finally {
    await closeFd(fd)
  }
}
