import { compress } from 'snappyjs'
import { LEN, ProtoWriter, VARINT } from '../otlp/proto-writer.js'
import type { Stream } from './streams.js'

/** Reused request after request (compress copies what it is given). */
const writer = new ProtoWriter()

/**
 * A `logproto.PushRequest` (see ./proto/push.proto), snappy-compressed as the push API wants.
 * Lines are written as the record bytes, never decoded and re-encoded; written into one reused
 * buffer (proto-writer.ts) rather than through protobufjs's queue of operations per field.
 */
export function encodePushRequest(streams: readonly Stream[]): Uint8Array {
  const w = writer
  w.reset()
  for (const stream of streams) {
    w.tag(1, LEN) // PushRequest.streams
    const streamStart = w.begin()
    w.tag(1, LEN)
    w.string(stream.labels)
    for (const entry of stream.entries) {
      w.tag(2, LEN) // StreamAdapter.entries
      const entryStart = w.begin()
      const seconds = entry.nanos / 1_000_000_000n
      const nanos = Number(entry.nanos % 1_000_000_000n)
      w.tag(1, LEN) // google.protobuf.Timestamp
      const timeStart = w.begin()
      if (seconds !== 0n) {
        w.tag(1, VARINT)
        w.int64(Number(seconds))
      }
      if (nanos !== 0) {
        w.tag(2, VARINT)
        w.int64(nanos) // int32: a negative one is written in ten bytes, as int64
      }
      w.end(timeStart)
      w.tag(2, LEN)
      const line = entry.line
      w.varint32(line.byteLength)
      w.ensure(line.byteLength)
      w.buf.set(line, w.pos)
      w.pos += line.byteLength
      for (const [name, value] of entry.metadata) {
        w.tag(3, LEN)
        const pairStart = w.begin()
        w.tag(1, LEN)
        w.string(name)
        w.tag(2, LEN)
        w.string(value)
        w.end(pairStart)
      }
      w.end(entryStart)
    }
    w.end(streamStart)
  }
  return compress(w.buf.subarray(0, w.pos))
}

/** The JSON push body: `{"streams":[{"stream":{...},"values":[["<ns>","<line>",{metadata}]]}]}`. */
export function encodePushJson(streams: readonly Stream[]): string {
  const parts: string[] = []
  for (const stream of streams) {
    const values = stream.entries.map((e) => {
      const line = JSON.stringify(Buffer.from(e.line.buffer, e.line.byteOffset, e.line.byteLength).toString('utf8'))
      return e.metadata.length > 0 ? `["${e.nanos}",${line},${JSON.stringify(Object.fromEntries(e.metadata))}]` : `["${e.nanos}",${line}]`
    })
    parts.push(`{"stream":${JSON.stringify(labelObject(stream.labels))},"values":[${values.join(',')}]}`)
  }
  return `{"streams":[${parts.join(',')}]}`
}

/** Label text back to an object (for the JSON body): `{a="x", b="y\"z"}` → `{ a: 'x', b: 'y"z' }`. */
function labelObject(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const m of text.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) out[m[1]!] = m[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c))
  return out
}
