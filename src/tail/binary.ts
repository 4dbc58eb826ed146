/**
 * Whether a file's first bytes are binary rather than text. One NUL is not enough: an nginx
 * error log at `info` records a TLS probe's raw bytes (`request: "^V^C^A^@^E..."`), and a text
 * log must not be skipped for that. A file is binary when it starts with a known binary
 * signature (compressed, archive, executable, database, image, systemd journal), or when
 * more than 10% of the bytes in its first window are control bytes that text does not use.
 */

/** Bytes judged at the head of a file. */
export const BINARY_WINDOW_BYTES = 8 * 1024

/** Share of control bytes above which the window is binary. */
const CONTROL_RATIO = 0.1

const SIGNATURES: readonly { name: string; bytes: readonly number[] }[] = [
  { name: 'gzip', bytes: [0x1f, 0x8b] },
  { name: 'bzip2', bytes: [0x42, 0x5a, 0x68] },
  { name: 'xz', bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { name: 'zstd', bytes: [0x28, 0xb5, 0x2f, 0xfd] },
  { name: 'lz4', bytes: [0x04, 0x22, 0x4d, 0x18] },
  { name: 'zip', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { name: '7z', bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { name: 'ELF executable', bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { name: 'PNG', bytes: [0x89, 0x50, 0x4e, 0x47] },
  { name: 'JPEG', bytes: [0xff, 0xd8, 0xff] },
  { name: 'SQLite', bytes: [...Buffer.from('SQLite format 3\0')] },
  { name: 'systemd journal', bytes: [...Buffer.from('LPKSHHRH')] },
]

/** Why `head` (the first bytes of a file) is binary, e.g. `it starts with a gzip signature`; undefined for text. */
export function binaryReason(head: Uint8Array, encoding: string): string | undefined {
  if (head.length === 0) return undefined
  for (const sig of SIGNATURES) if (startsWith(head, sig.bytes)) return `it starts with a ${sig.name} signature`
  if (encoding === 'utf16le') return undefined
  let control = 0
  for (let i = 0; i < head.length; i++) if (isControl(head[i]!)) control++
  if (control / head.length > CONTROL_RATIO) {
    const utf16 = (head[0] === 0xff && head[1] === 0xfe) || nulEveryOther(head)
    return `${Math.round((control / head.length) * 100)}% of its first ${head.length} bytes are control bytes${utf16 ? ' (it looks like UTF-16 text: use encoding: utf16le)' : ''}`
  }
  return undefined
}

/** Control bytes text does not use: not tab, newline, vertical tab, form feed, carriage return or escape (ANSI colours). */
function isControl(b: number): boolean {
  return (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1b) || b === 0x7f
}

function startsWith(head: Uint8Array, sig: readonly number[]): boolean {
  if (head.length < sig.length) return false
  for (let i = 0; i < sig.length; i++) if (head[i] !== sig[i]) return false
  return true
}

function nulEveryOther(head: Uint8Array): boolean {
  let nul = 0
  for (let i = 1; i < Math.min(head.length, 64); i += 2) if (head[i] === 0) nul++
  return nul >= Math.min(head.length, 64) / 2 - 2
}
