const NEWLINE = 0x0a

import type { Batch } from './output.js'

/** The batch as one NDJSON body: the engine's own layout when it has one, else one copy. */
export function ndjsonOf(batch: Batch): Uint8Array {
  return batch.ndjson ?? ndjsonBody(batch.records)
}

/** Concatenates records into one NDJSON body (each record followed by `\n`), one copy. */
function ndjsonBody(records: readonly Uint8Array[]): Buffer {
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
