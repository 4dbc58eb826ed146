import type { Dispatcher } from 'undici'

/** Replies logship reads (probes, version check, http output): more than this is not an answer it needs. */
const REPLY_CAP_BYTES = 1024 * 1024
/** `_bulk` replies: with filter_path they hold only failed items; 8 MiB is thousands of errors. */
export const BULK_REPLY_CAP_BYTES = 8 * 1024 * 1024
/** Deeper JSON than this is not a reply logship understands (and parsing it costs memory). */
const MAX_JSON_DEPTH = 64

/** A reply body longer than its cap: it was not read (the connection is dropped). */
class ReplyTooLargeError extends Error {
  readonly code = 'LOGSHIP_REPLY_TOO_LARGE'
  constructor(
    readonly capBytes: number,
    readonly declaredBytes?: number,
  ) {
    super(
      `the reply body is larger than ${formatBytes(capBytes)}${declaredBytes === undefined ? '' : ` (content-length ${declaredBytes})`}; it was not read: check that the URL points at the right server`,
    )
    this.name = 'ReplyTooLargeError'
  }
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : `${n} bytes`
}

/**
 * Reads a reply body as UTF-8 text, at most `capBytes`: a longer body (by content-length or
 * as it streams) is abandoned and the request fails with ReplyTooLargeError, so a broken or
 * hostile server cannot make logship (and the app it runs in) buffer gigabytes.
 */
export async function readReply(res: Pick<Dispatcher.ResponseData, 'body' | 'headers'>, capBytes = REPLY_CAP_BYTES): Promise<string> {
  return (await readReplyBytes(res, capBytes)).toString('utf8')
}

/** Like readReply, but the bytes (OTLP replies are protobuf). */
export async function readReplyBytes(res: Pick<Dispatcher.ResponseData, 'body' | 'headers'>, capBytes = REPLY_CAP_BYTES): Promise<Buffer> {
  const declared = Number(res.headers['content-length'])
  if (Number.isFinite(declared) && declared > capBytes) {
    res.body.destroy()
    throw new ReplyTooLargeError(capBytes, declared)
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > capBytes) {
      res.body.destroy()
      throw new ReplyTooLargeError(capBytes)
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks, size)
}

/** True when `text` nests arrays/objects deeper than `max` (outside strings). O(n), no allocation. */
function nestsDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c)
        i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return false
}

/** JSON.parse that refuses pathological nesting instead of spending memory on it. */
export function parseReplyJson(text: string): unknown {
  if (nestsDeeperThan(text)) throw new SyntaxError(`nested deeper than ${MAX_JSON_DEPTH} levels`)
  return JSON.parse(text)
}
