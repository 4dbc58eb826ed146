import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'
import { decodeExportRequest, decodeExportRequestJson, ExportLogsServiceResponse, RpcStatus, type DecodedLog } from './otlp-proto.js'

/**
 * A protocol-faithful OTLP/HTTP logs receiver (what an OpenTelemetry Collector's `otlphttp`
 * receiver does) on 127.0.0.1: `POST /v1/logs` with `application/x-protobuf` or
 * `application/json` bodies (plain or gzip), decoded with the official opentelemetry-proto
 * definitions; replies are an `ExportLogsServiceResponse` (with `partial_success` when records
 * are rejected) or a `google.rpc.Status`, in the request's encoding. Bodies that do not
 * decode are answered 400, like the collector does.
 *
 * Faults are switched on and off through `faults` while it runs.
 */

export interface OtlpFaults {
  /** Records this returns true for are not stored: the reply counts them in `partial_success.rejected_log_records`. */
  reject: ((log: DecodedLog) => boolean) | undefined
  /** The message sent with rejections. */
  rejectMessage: string
  /** A request holding any record this returns true for is refused whole with 400 (nothing stored). */
  poison: ((log: DecodedLog) => boolean) | undefined
  /** The next `count` requests are answered whole with `status` (and Retry-After, Location if set). */
  failRequests: { status: number; count: number; retryAfter?: string; location?: string } | undefined
  /** Bodies above this many bytes on the wire are answered 413. */
  maxBodyBytes: number
  /** Every reply waits this long. */
  delayMs: number
  /**
   * The next `count` requests are not stored and answered 200 with this body and content type:
   * a web server or proxy that is not an OTLP receiver (a login page, `It works!`).
   */
  notOtlpOk: { count: number; contentType: string; body: string } | undefined
}

export interface OtlpRequestLog {
  readonly path: string
  readonly contentType: string
  readonly gzip: boolean
  readonly wireBytes: number
  readonly records: number
  readonly headers: http.IncomingHttpHeaders
  readonly status: number
  /** Date.now() when the request arrived. */
  readonly at: number
}

export interface FakeOtlpOptions {
  /** When set, every request must carry exactly this Authorization header (else 401). */
  authorization?: string
}

export class FakeOtlp {
  readonly faults: OtlpFaults = {
    reject: undefined,
    rejectMessage: 'rejected by the fake collector',
    poison: undefined,
    failRequests: undefined,
    maxBodyBytes: Infinity,
    delayMs: 0,
    notOtlpOk: undefined,
  }
  /** Every record stored, in arrival order. */
  readonly logs: DecodedLog[] = []
  readonly requests: OtlpRequestLog[] = []
  rejected = 0
  readonly #server: http.Server

  constructor(
    server: http.Server,
    readonly url: string,
  ) {
    this.#server = server
  }

  /** The `n` of each stored record (events the tests write carry `n`). */
  ns(): number[] {
    return this.logs.map((l) => l.attributes.n as number)
  }

  close(): Promise<void> {
    this.#server.closeAllConnections()
    return new Promise((resolve) => this.#server.close(() => resolve()))
  }
}

export async function startFakeOtlp(options: FakeOtlpOptions = {}): Promise<FakeOtlp> {
  let fake: FakeOtlp | undefined
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    const at = Date.now()
    req.on('end', () => {
      const f = fake!
      const wire = Buffer.concat(chunks)
      const contentType = String(req.headers['content-type'] ?? '')
      const json = contentType.startsWith('application/json')
      const gzip = req.headers['content-encoding'] === 'gzip'
      let records = 0
      const reply = (status: number, body: Buffer | string, headers: Record<string, string> = {}): void => {
        f.requests.push({ path: req.url ?? '', contentType, gzip, wireBytes: wire.length, records, headers: req.headers, status, at })
        const send = (): void => {
          res.writeHead(status, { 'content-type': json ? 'application/json' : 'application/x-protobuf', ...headers })
          res.end(body)
        }
        if (f.faults.delayMs > 0) setTimeout(send, f.faults.delayMs)
        else send()
      }
      const status = (code: number, grpcCode: number, message: string, headers: Record<string, string> = {}): void =>
        reply(code, json ? JSON.stringify({ code: grpcCode, message }) : Buffer.from(RpcStatus.encode({ code: grpcCode, message }).finish()), headers)

      if (req.method !== 'POST' || req.url !== '/v1/logs') return status(404, 5, `no such path: ${req.method} ${req.url}`)
      if (options.authorization !== undefined && req.headers.authorization !== options.authorization) return status(401, 16, 'missing or wrong credentials')
      if (!json && contentType !== 'application/x-protobuf') return status(415, 3, `unsupported content type ${contentType}`)
      if (wire.length > f.faults.maxBodyBytes) return status(413, 8, `body of ${wire.length} bytes is too large`)
      const failing = f.faults.failRequests
      if (failing && failing.count > 0) {
        failing.count--
        return status(failing.status, 14, `fake collector answers ${failing.status}`, {
          ...(failing.retryAfter === undefined ? {} : { 'retry-after': failing.retryAfter }),
          ...(failing.location === undefined ? {} : { location: failing.location }),
        })
      }
      const strange = f.faults.notOtlpOk
      if (strange && strange.count > 0) {
        strange.count--
        return reply(200, strange.body, { 'content-type': strange.contentType })
      }
      let logs: DecodedLog[]
      try {
        const body = gzip ? gunzipSync(wire) : wire
        logs = json ? decodeExportRequestJson(body.toString('utf8')) : decodeExportRequest(body)
      } catch (err) {
        return status(400, 3, `cannot decode the request: ${(err as Error).message}`)
      }
      records = logs.length
      if (f.faults.poison && logs.some(f.faults.poison)) return status(400, 3, 'the request holds a record the collector cannot take')
      const rejected = f.faults.reject ? logs.filter(f.faults.reject) : []
      for (const log of logs) if (!rejected.includes(log)) f.logs.push(log)
      f.rejected += rejected.length
      const partial = rejected.length > 0 ? { partialSuccess: { rejectedLogRecords: rejected.length, errorMessage: f.faults.rejectMessage } } : {}
      if (json)
        return reply(200, JSON.stringify(rejected.length > 0 ? { partialSuccess: { rejectedLogRecords: String(rejected.length), errorMessage: f.faults.rejectMessage } } : {}))
      reply(200, Buffer.from(ExportLogsServiceResponse.encode(ExportLogsServiceResponse.fromObject(partial)).finish()))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  fake = new FakeOtlp(server, `http://127.0.0.1:${port}`)
  return fake
}
