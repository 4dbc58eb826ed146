import type { DeadLetter } from '../output.js'

/**
 * The document stored in the dead-letter index for one event that could not be delivered:
 * the original event as a string in `event.original` (it may be why it failed, so it is
 * never spliced in raw), the error type and reason, the item status, and the time.
 */
export function deadLetterDocument(entry: DeadLetter, output: string, now: number): Buffer {
  const { type, message } = splitReason(entry.reason)
  const doc = {
    '@timestamp': new Date(now).toISOString(),
    event: { original: Buffer.from(entry.record).toString('utf8') },
    error: { type, message, ...(entry.status === undefined ? {} : { code: String(entry.status) }) },
    logship: { output },
  }
  return Buffer.from(JSON.stringify(doc))
}

/** Elasticsearch reasons read `type: reason`; logship's own (e.g. retries exhausted) have no type. */
function splitReason(reason: string): { type: string; message: string } {
  const match = /^([a-z][a-z0-9_]*): ([\s\S]*)$/.exec(reason)
  return match ? { type: match[1]!, message: match[2]! } : { type: 'logship_undeliverable', message: reason }
}
