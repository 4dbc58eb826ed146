import { createHash } from 'node:crypto'
import { open, read, close } from 'node:fs'
import { FINGERPRINT_BYTES } from './file-state.js'

export interface Fingerprint {
  /** Head bytes hashed (min(size, 1024)). */
  readonly len: number
  readonly hash: string
  /** A NUL byte in the head of a file read as utf8 or latin1: a binary (or compressed) file. */
  readonly binary: boolean
}

export function hashBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64url').slice(0, 22)
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

/** The fingerprint of an open file's first `min(size, 1024)` bytes. */
export async function fingerprintFd(fd: number, size: number, textEncoding: string, length = Math.min(size, FINGERPRINT_BYTES)): Promise<Fingerprint> {
  const buf = Buffer.allocUnsafe(Math.max(length, 1))
  let got = 0
  while (got < length) {
    const n = await readAt(fd, buf.subarray(got), length - got, got)
    if (n === 0) break
    got += n
  }
  const head = buf.subarray(0, got)
  return { len: got, hash: hashBytes(head), binary: textEncoding !== 'utf16le' && head.includes(0) }
}

/** Opens, fingerprints and closes a file. */
export async function fingerprintPath(path: string, size: number, textEncoding: string): Promise<Fingerprint> {
  const fd = await openForRead(path)
  try {
    return await fingerprintFd(fd, size, textEncoding)
  } finally {
    await closeFd(fd)
  }
}
