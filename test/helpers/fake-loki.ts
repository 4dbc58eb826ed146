import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import protobuf from 'protobufjs'
import { uncompress } from 'snappyjs'
import { ROOT } from './cli.js'

/**
 * A protocol-faithful Loki push endpoint on 127.0.0.1: `POST /loki/api/v1/push` with a
 * snappy-compressed `logproto.PushRequest` (decoded with the checked-in push.proto) or a JSON
 * body (plain or gzip), `X-Scope-OrgID` tenants, `GET /loki/api/v1/status/buildinfo`. Like a
 * Loki ingester with unordered writes it stores entries per stream, silently drops an exact
 * duplicate (same stream, timestamp and line), refuses entries older than the stream's newest
 * minus `faults.window` ("entry too far behind") and answers 400 naming them after storing the
 * rest; invalid label text is a 400 for the whole request.
 */

const root = new protobuf.Root()
root.resolvePath = (_origin, target) => (target.startsWith('gogoproto/') ? null : target.startsWith('google/') ? target : join(ROOT, 'src', 'outputs', 'loki', 'proto', target))
root.loadSync('push.proto')
root.resolveAll()
const PushRequest = root.lookupType('logproto.PushRequest')

export interface LokiEntry {
  readonly tenant: string
  readonly labels: Record<string, string>
  readonly labelText: string
  /** Nanoseconds since the epoch, as a decimal string. */
  readonly ts: string
  readonly line: string
  readonly metadata: Record<string, string>
}

export interface LokiFaults {
  /** The next `count` pushes are answered whole with `status` (and Retry-After, Location if set). */
  failRequests: { status: number; count: number; retryAfter?: string; location?: string } | undefined
  /** Entries whose line this returns true for are refused (400, the others stored), like a line Loki will not take. */
  poison: ((line: string) => boolean) | undefined
  /** Entries older than the stream's newest minus this many ms are refused as too far behind. Default Infinity. */
  windowMs: number
  maxBodyBytes: number
}

export interface LokiRequestLog {
  readonly contentType: string
  readonly contentEncoding: string
  readonly headers: http.IncomingHttpHeaders
  readonly wireBytes: number
  readonly status: number
  /** The streams' label texts, in request order, and their entries' timestamps as sent. */
  readonly streams: { labels: string; ts: string[] }[]
}

export class FakeLoki {
  readonly faults: LokiFaults = { failRequests: undefined, poison: undefined, windowMs: Infinity, maxBodyBytes: Infinity }
  readonly entries: LokiEntry[] = []
  readonly requests: LokiRequestLog[] = []
  duplicatesDropped = 0
  readonly #newest = new Map<string, bigint>()
  readonly #seen = new Set<string>()

  constructor(
    readonly server: http.Server,
    readonly url: string,
  ) {}

  lines(): string[] {
    return this.entries.map((e) => e.line)
  }

  /** Stores one entry as an ingester would; a string is the reason it was refused. */
  push(tenant: string, labelText: string, labels: Record<string, string>, ts: bigint, line: string, metadata: Record<string, string>): string | undefined {
    const stream = `${tenant}/${labelText}`
    const key = `${stream}\u0000${ts}\u0000${line}`
    if (this.#seen.has(key)) {
      this.duplicatesDropped++
      return undefined
    }
    if (this.faults.poison?.(line)) return `entry for stream '${labelText}' has a line the fake Loki refuses`
    const newest = this.#newest.get(stream) ?? 0n
    if (this.faults.windowMs !== Infinity && ts < newest - BigInt(this.faults.windowMs) * 1_000_000n) {
      return `entry with timestamp ${new Date(Number(ts / 1_000_000n)).toISOString()} ignored, reason: 'entry too far behind, oldest acceptable timestamp is: ${new Date(Number((newest - BigInt(this.faults.windowMs) * 1_000_000n) / 1_000_000n)).toISOString()}', for stream: ${labelText}`
    }
    if (ts > newest) this.#newest.set(stream, ts)
    this.#seen.add(key)
    this.entries.push({ tenant, labels, labelText, ts: ts.toString(), line, metadata })
    return undefined
  }

  close(): Promise<void> {
    this.server.closeAllConnections()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }
}

const LABELS = /^\{\s*((?:[a-zA-Z_][a-zA-Z0-9_]*\s*=\s*"(?:[^"\\]|\\.)*"\s*,?\s*)*)\}$/

function parseLabels(text: string): Record<string, string> | undefined {
  const m = LABELS.exec(text)
  if (!m) return undefined
  const out: Record<string, string> = {}
  for (const p of m[1]!.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"/g)) out[p[1]!] = p[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c))
  return Object.keys(out).length > 0 ? out : undefined
}

interface DecodedStream {
  labels: string
  labelObject?: Record<string, string>
  entries: { ts: bigint; line: string; metadata: Record<string, string> }[]
}

function decodeProtobuf(body: Buffer): DecodedStream[] {
  const request = PushRequest.decode(uncompress(body)) as unknown as {
    streams: {
      labels: string
      entries: { timestamp?: { seconds?: { toString(): string }; nanos?: number }; line: string; structuredMetadata?: { name: string; value: string }[] }[]
    }[]
  }
  return request.streams.map((s) => ({
    labels: s.labels,
    entries: s.entries.map((e) => ({
      ts: BigInt((e.timestamp?.seconds ?? 0).toString()) * 1_000_000_000n + BigInt(e.timestamp?.nanos ?? 0),
      line: e.line,
      metadata: Object.fromEntries((e.structuredMetadata ?? []).map((p) => [p.name, p.value])),
    })),
  }))
}

function decodeJson(text: string): DecodedStream[] {
  const body = JSON.parse(text) as { streams: { stream: Record<string, string>; values: [string, string, Record<string, string>?][] }[] }
  return body.streams.map((s) => ({
    labels: `{${Object.entries(s.stream)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(', ')}}`,
    labelObject: s.stream,
    entries: s.values.map(([ts, line, metadata]) => {
      if (!/^\d+$/.test(ts)) throw new Error(`timestamp ${JSON.stringify(ts)} is not nanoseconds as a string`)
      return { ts: BigInt(ts), line, metadata: metadata ?? {} }
    }),
  }))
}

export async function startFakeLoki(options: { authorization?: string; tenants?: boolean; version?: string } = {}): Promise<FakeLoki> {
  let fake: FakeLoki | undefined
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const f = fake!
      const wire = Buffer.concat(chunks)
      const contentType = String(req.headers['content-type'] ?? '')
      const streamsLog: { labels: string; ts: string[] }[] = []
      const reply = (status: number, body: string, headers: Record<string, string> = {}): void => {
        if (req.url === '/loki/api/v1/push')
          f.requests.push({
            contentType,
            contentEncoding: String(req.headers['content-encoding'] ?? ''),
            headers: req.headers,
            wireBytes: wire.length,
            status,
            streams: streamsLog,
          })
        res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers })
        res.end(body)
      }
      if (options.authorization !== undefined && req.headers.authorization !== options.authorization) return reply(401, 'Unauthorized')
      const tenant = String(req.headers['x-scope-orgid'] ?? '')
      if (options.tenants && !tenant) return reply(401, 'no org id')
      if (req.method === 'GET' && req.url === '/loki/api/v1/status/buildinfo')
        return reply(200, JSON.stringify({ version: options.version ?? '3.5.0', revision: 'fake', branch: 'HEAD', goVersion: 'go1.24' }), { 'content-type': 'application/json' })
      if (req.method !== 'POST' || req.url !== '/loki/api/v1/push') return reply(404, '404 page not found')
      if (wire.length > f.faults.maxBodyBytes) return reply(413, 'request too large')
      const failing = f.faults.failRequests
      if (failing && failing.count > 0) {
        failing.count--
        return reply(failing.status, `fake Loki answers ${failing.status}`, {
          ...(failing.retryAfter === undefined ? {} : { 'retry-after': failing.retryAfter }),
          ...(failing.location === undefined ? {} : { location: failing.location }),
        })
      }
      let streams: DecodedStream[]
      try {
        if (contentType === 'application/x-protobuf') streams = decodeProtobuf(wire)
        else if (contentType.startsWith('application/json')) streams = decodeJson((req.headers['content-encoding'] === 'gzip' ? gunzipSync(wire) : wire).toString('utf8'))
        else return reply(415, `unsupported content type ${contentType}`)
      } catch (err) {
        return reply(400, `error decoding the push request: ${(err as Error).message}`)
      }
      const parsed = streams.map((s) => ({ ...s, labelObject: s.labelObject ?? parseLabels(s.labels) }))
      const bad = parsed.find((s) => !s.labelObject)
      if (bad) return reply(400, `error parsing labels ${JSON.stringify(bad.labels)}`)
      const refused: string[] = []
      let total = 0
      for (const s of parsed) {
        streamsLog.push({ labels: s.labels, ts: s.entries.map((e) => e.ts.toString()) })
        // Loki keys streams by their labels, not by how the text was written
        const canonical = `{${Object.entries(s.labelObject!)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(', ')}}`
        for (const e of s.entries) {
          total++
          const why = f.push(tenant, canonical, s.labelObject!, e.ts, e.line, e.metadata)
          if (why) refused.push(why)
        }
      }
      if (refused.length > 0) return reply(400, `${refused.slice(0, 10).join('\n')}\ntotal ignored: ${refused.length} out of ${total}`)
      reply(204, '')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  fake = new FakeLoki(server, `http://127.0.0.1:${port}`)
  return fake
}
