import { isBytes, stringRecord, toRecordText } from '../record/to-record.js'
import type { ProcessorChain } from './compile.js'
import type { ProcessorEvent } from './types.js'

/**
 * The library's side: what `write()` was given, through the chain, as one JSON object text;
 * null when a processor dropped it; undefined when there is nothing to ship (undefined, a
 * function, empty bytes: the caller lets write() refuse it as usual). The event is first
 * encoded the way write() encodes every event (so Errors, BigInts, cycles ... come out the
 * same) and parsed back: processors change that copy, never the caller's object. `maxChars`:
 * the longest text the careful serializer builds (the queue's largest record).
 */
export function processWritten(chain: ProcessorChain, event: unknown, maxChars?: number): string | null | undefined {
  let text: string | undefined
  if (typeof event === 'string') text = stringRecord(event)
  else if (ArrayBuffer.isView(event) && isBytes(event))
    text = event.byteLength === 0 ? undefined : stringRecord(Buffer.from(event.buffer, event.byteOffset, event.byteLength).toString('utf8'))
  else text = toRecordText(event, maxChars)
  return text === undefined ? undefined : processText(chain, text)
}

/** One JSON object text through the chain; null when it was dropped. */
function processText(chain: ProcessorChain, text: string): string | null {
  const event = JSON.parse(text) as ProcessorEvent
  if (!chain(event)) return null
  // The engine puts a missing @timestamp first; stamped here, @metadata (an id) stays first.
  if (event['@metadata'] !== undefined && event['@timestamp'] === undefined && event.time === undefined) event['@timestamp'] = new Date().toISOString()
  return JSON.stringify(metadataFirst(event))
}

/**
 * `@metadata` (a document id, e.g. from fingerprint) must be the first key for the
 * Elasticsearch output to take it out as `_id`; processors may have added it anywhere.
 */
export function metadataFirst(event: ProcessorEvent): ProcessorEvent {
  const meta = event['@metadata']
  if (meta === undefined) return event
  for (const key in event) {
    if (key === '@metadata') return event
    break
  }
  const { '@metadata': _, ...rest } = event
  return { '@metadata': meta, ...rest }
}
