/**
 * Tail mode (idempotent output) puts each line's stable id first in its document, as
 * `{"@metadata":{"_id":"<id>"},...`: an id made from the file's content and the line's offset,
 * the same after a restart or in a rotated copy. The id becomes the bulk `_id`; `@metadata`
 * is not stored (as with Filebeat).
 */
const PREFIX = Buffer.from('{"@metadata":{"_id":"')
const QUOTE = 0x22

/** The record without its leading `@metadata._id`, and that id; undefined when it has none. */
export function takeTailId(record: Buffer): { id: string; record: Buffer } | undefined {
  if (record.length <= PREFIX.length || record[1] !== 0x22 || record[2] !== 0x40) return undefined
  if (!record.subarray(0, PREFIX.length).equals(PREFIX)) return undefined
  const close = record.indexOf(QUOTE, PREFIX.length)
  // the id is plain ([\w-]), so its closing quote is the first one; then `},` must follow
  if (close === -1 || record[close + 1] !== 0x7d || record[close + 2] !== 0x2c) return undefined
  const id = record.toString('latin1', PREFIX.length, close)
  const rest = record.subarray(close + 3)
  const out = Buffer.allocUnsafe(rest.length + 1)
  out[0] = 0x7b
  rest.copy(out, 1)
  return { id, record: out }
}
