import protobuf from 'protobufjs/minimal.js'
import { compress } from 'snappyjs'
import type { Stream } from './streams.js'

const LEN = 2
const VARINT = 0
const tag = (field: number, wire: number): number => (field << 3) | wire

/**
 * A `logproto.PushRequest` (see ./proto/push.proto), snappy-compressed as the push API wants.
 * Lines are written as the record bytes, never decoded and re-encoded.
 */
export function encodePushRequest(streams: readonly Stream[]): Uint8Array {
  const w = protobuf.Writer.create()
  for (const stream of streams) {
    w.uint32(tag(1, LEN)).fork() // PushRequest.streams
    w.uint32(tag(1, LEN)).string(stream.labels)
    for (const entry of stream.entries) {
      w.uint32(tag(2, LEN)).fork() // StreamAdapter.entries
      const seconds = entry.nanos / 1_000_000_000n
      const nanos = Number(entry.nanos % 1_000_000_000n)
      w.uint32(tag(1, LEN)).fork() // google.protobuf.Timestamp
      if (seconds !== 0n) w.uint32(tag(1, VARINT)).int64(Number(seconds))
      if (nanos !== 0) w.uint32(tag(2, VARINT)).int32(nanos)
      w.ldelim()
      w.uint32(tag(2, LEN)).bytes(entry.line)
      for (const [name, value] of entry.metadata) w.uint32(tag(3, LEN)).fork().uint32(tag(1, LEN)).string(name).uint32(tag(2, LEN)).string(value).ldelim()
      w.ldelim()
    }
    w.ldelim()
  }
  return compress(w.finish())
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
