import type { Dispatcher } from 'undici'
import { REPLY_CAP_BYTES, ReplyTooLargeError } from '../read-reply.js'

/** Like readReply, but the bytes (OTLP replies are protobuf): at most `capBytes`, else ReplyTooLargeError. */
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
