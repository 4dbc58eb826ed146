const NEWLINE = 0x0a

/** Concatenates records into one NDJSON body (each record followed by `\n`), one copy. */
export function ndjsonBody(records: readonly Uint8Array[]): Buffer {
  let size = records.length
  for (const r of records) size += r.byteLength
  const body = Buffer.allocUnsafe(size)
  let at = 0
  for (const r of records) {
    body.set(r, at)
    at += r.byteLength
    body[at++] = NEWLINE
  }
  return body
}
