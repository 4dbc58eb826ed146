import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'
import { randomBytes } from 'node:crypto'

/**
 * A protocol-faithful Elasticsearch `_bulk` server for tests, on 127.0.0.1. It implements the
 * real request and reply formats: NDJSON bodies (plain or gzip) that must end with `\n`,
 * `index` and `create` actions with `_index`/`_id` (or the index in the URL), `_id`
 * conflicts (409 on `create`), auto ids, per-item statuses with `errors`, `filter_path`,
 * `GET /` with a version and `X-Elastic-Product`. Several nodes can share one store.
 *
 * Faults are switched on and off through `faults` while it runs.
 */

export interface StoredDoc {
  readonly index: string
  readonly id: string
  /** The source line exactly as received. */
  readonly raw: string
  readonly source: Record<string, unknown>
}

export interface BulkRequestLog {
  readonly node: number
  readonly path: string
  readonly query: URLSearchParams
  readonly gzip: boolean
  readonly wireBytes: number
  readonly actions: number
  /** What happened: `replied` with a status, or `reset` (stored, then the socket was destroyed). */
  readonly outcome: number | 'reset'
}

export interface Faults {
  /** Share of items answered 429 es_rejected_execution_exception (each attempt afresh). */
  itemRejectRate: number
  /** Only the first N items of each bulk request are stored; the rest are answered 429. */
  storePerRequest: number
  /** Items whose source this returns true for are refused with 400 mapper_parsing_exception. */
  mappingError: ((source: Record<string, unknown>) => boolean) | undefined
  /**
   * A body holding an event whose source this returns true for is refused whole with 400, without
   * naming the event (what a proxy or an ingest layer in front of Elasticsearch may do).
   */
  refuseBodyWith: ((source: Record<string, unknown>) => boolean) | undefined
  /** The next `count` bulk requests are answered whole with `status` (and Retry-After, Location if set). */
  failRequests: { status: number; count: number; retryAfter?: string; location?: string } | undefined
  /** Bodies above this many bytes on the wire are answered 413. */
  maxBodyBytes: number
  /** The next N bulk requests are stored, then the connection is reset instead of replying. */
  resetAfterStore: number
  /** Every reply waits this long. */
  delayMs: number
  /** `GET /` is answered with this redirect (as a proxy sending http:// to https:// does). */
  redirectInfo: { status: number; location: string } | undefined
}

export interface FakeElasticsearchOptions {
  /** Nodes sharing one store (each with its own port). Default 1. */
  nodes?: number
  /** What `GET /` says. Default '8.15.0'. */
  version?: string
  /** `other` answers `GET /` like some unrelated web server. Default 'elasticsearch'. */
  product?: 'elasticsearch' | 'other'
  /** When set, every request must carry exactly this Authorization header (else 401). */
  authorization?: string
  /** Seed of the item-reject dice, so runs repeat. */
  seed?: number
  /** Listen on these ports (e.g. to bring a dead node back); default any free port. */
  ports?: number[]
}

export class FakeElasticsearch {
  readonly faults: Faults = {
    itemRejectRate: 0,
    storePerRequest: Infinity,
    mappingError: undefined,
    refuseBodyWith: undefined,
    failRequests: undefined,
    maxBodyBytes: Infinity,
    resetAfterStore: 0,
    delayMs: 0,
    redirectInfo: undefined,
  }
  readonly indices = new Map<string, Map<string, StoredDoc>>()
  readonly requests: BulkRequestLog[] = []
  /** How often each source line arrived in a bulk request (whatever became of it). */
  readonly received = new Map<string, number>()
  /** Source lines that arrived again after they had been stored (duplicates on the wire). */
  resentAfterStored = 0
  infoRequests = 0
  readonly #servers: http.Server[] = []
  readonly #storedRaw = new Set<string>()
  readonly #options: Required<Omit<FakeElasticsearchOptions, 'authorization' | 'ports'>> & FakeElasticsearchOptions
  #seed: number
  #seqNo = 0

  constructor(options: FakeElasticsearchOptions = {}) {
    this.#options = { nodes: 1, version: '8.15.0', product: 'elasticsearch', seed: 42, ...options }
    this.#seed = this.#options.seed
  }

  /** One URL per node. */
  urls: string[] = []

  async start(): Promise<this> {
    for (let node = 0; node < this.#options.nodes; node++) {
      const server = http.createServer((req, res) => {
        this.#handle(node, req, res).catch((err: unknown) => {
          if (!res.headersSent) this.#json(res, 500, { error: { type: 'exception', reason: String(err) }, status: 500 })
        })
      })
      await new Promise<void>((resolve) => server.listen(this.#options.ports?.[node] ?? 0, '127.0.0.1', resolve))
      this.#servers.push(server)
      this.urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
    }
    return this
  }

  /** Every stored document (of one index, or all). */
  docs(index?: string): StoredDoc[] {
    const out: StoredDoc[] = []
    for (const [name, docs] of this.indices) if (index === undefined || name === index) out.push(...docs.values())
    return out
  }

  /** Stops one node as if it died: its port refuses connections from now on. */
  async killNode(node: number): Promise<void> {
    const server = this.#servers[node]!
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  async close(): Promise<void> {
    await Promise.all(
      this.#servers.map((s) =>
        s.listening
          ? new Promise<void>((resolve) => {
              s.closeAllConnections()
              s.close(() => resolve())
            })
          : undefined,
      ),
    )
  }

  async #handle(node: number, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x')
    const body = await readBody(req)
    if (this.#options.authorization !== undefined && req.headers.authorization !== this.#options.authorization) {
      return this.#json(res, 401, {
        error: { type: 'security_exception', reason: 'unable to authenticate user for REST request [/_bulk]' },
        status: 401,
      })
    }
    if (req.method === 'GET' && url.pathname === '/') {
      this.infoRequests++
      const redirect = this.faults.redirectInfo
      if (redirect) {
        res.writeHead(redirect.status, { location: redirect.location, 'content-length': '0' })
        return void res.end()
      }
      if (this.#options.product === 'other') {
        res.writeHead(200, { 'content-type': 'text/html' })
        return void res.end('<html><body>It works!</body></html>')
      }
      return this.#json(res, 200, {
        name: `node-${node}`,
        cluster_name: 'fake',
        cluster_uuid: 'fake-cluster',
        version: { number: this.#options.version, build_flavor: 'default', lucene_version: '9.11.1' },
        tagline: 'You Know, for Search',
      })
    }
    const bulk = /^\/(?:([^/]+)\/)?_bulk$/.exec(url.pathname)
    if (!bulk || (req.method !== 'POST' && req.method !== 'PUT')) {
      return this.#json(res, 405, { error: `Incorrect HTTP method for uri [${url.pathname}] and method [${req.method}]`, status: 405 })
    }
    await this.#bulk(node, req, res, url, bulk[1] === undefined ? undefined : decodeURIComponent(bulk[1]), body)
  }

  async #bulk(node: number, req: http.IncomingMessage, res: http.ServerResponse, url: URL, pathIndex: string | undefined, wire: Buffer): Promise<void> {
    const gzip = req.headers['content-encoding'] === 'gzip'
    const log = (outcome: number | 'reset', actions = 0): void => {
      this.requests.push({ node, path: url.pathname, query: url.searchParams, gzip, wireBytes: wire.length, actions, outcome })
    }
    const contentType = String(req.headers['content-type'] ?? '')
    if (!/^application\/(x-ndjson|json)/.test(contentType)) {
      log(406)
      return this.#json(res, 406, { error: `Content-Type header [${contentType}] is not supported`, status: 406 })
    }
    if (wire.length > this.faults.maxBodyBytes) {
      log(413)
      res.writeHead(413, { 'content-length': '0' })
      return void res.end()
    }
    const failing = this.faults.failRequests
    if (failing && failing.count > 0) {
      failing.count--
      log(failing.status)
      await sleep(this.faults.delayMs)
      const reason = failing.status === 429 ? 'rejected execution of coordinating operation' : 'no master node available'
      const type = failing.status === 429 ? 'es_rejected_execution_exception' : 'cluster_block_exception'
      return this.#json(
        res,
        failing.status,
        { error: { root_cause: [{ type, reason }], type, reason }, status: failing.status },
        { ...(failing.retryAfter ? { 'retry-after': failing.retryAfter } : {}), ...(failing.location ? { location: failing.location } : {}) },
      )
    }
    const text = (gzip ? gunzipSync(wire) : wire).toString('utf8')
    if (!text.endsWith('\n')) {
      log(400)
      return this.#json(res, 400, badRequest('illegal_argument_exception', 'The bulk request must be terminated by a newline [\\n]'))
    }
    const lines = text.split('\n')
    lines.pop()
    const refuse = this.faults.refuseBodyWith
    if (refuse && lines.some((line, i) => i % 2 === 1 && line.startsWith('{') && refuse(JSON.parse(line) as Record<string, unknown>))) {
      log(400)
      return this.#json(res, 400, badRequest('x_content_parse_exception', 'failed to parse the request body'))
    }
    const items: unknown[] = []
    let errors = false
    for (let i = 0; i < lines.length; i += 2) {
      let action: Record<string, { _index?: string; _id?: string }>
      try {
        action = JSON.parse(lines[i]!) as typeof action
      } catch {
        log(400)
        return this.#json(res, 400, badRequest('x_content_parse_exception', `[1:1] Unexpected character in action line ${i + 1}`))
      }
      const op = Object.keys(action)[0]!
      const meta = action[op] ?? {}
      if (op !== 'index' && op !== 'create') {
        log(400)
        return this.#json(
          res,
          400,
          badRequest('illegal_argument_exception', `Malformed action/metadata line [${i + 1}], expected one of [create, delete, index, update] but found [${op}]`),
        )
      }
      const index = meta._index ?? pathIndex
      const raw = lines[i + 1]
      if (raw === undefined || index === undefined) {
        log(400)
        return this.#json(res, 400, badRequest('action_request_validation_exception', 'Validation Failed: 1: index is missing;'))
      }
      const item = this.#store(op, index, meta._id, raw, items.length >= this.faults.storePerRequest)
      if ((item.status as number) >= 300) errors = true
      items.push({ [op]: item })
    }
    if (this.faults.resetAfterStore > 0) {
      this.faults.resetAfterStore--
      log('reset', items.length)
      await sleep(this.faults.delayMs)
      req.socket.destroy()
      return
    }
    log(200, items.length)
    await sleep(this.faults.delayMs)
    const reply = { took: 3, errors, items }
    const filterPath = url.searchParams.get('filter_path')
    this.#json(res, 200, filterPath ? filterByPath(reply, filterPath) : reply)
  }

  #store(op: string, index: string, id: string | undefined, raw: string, reject = false): Record<string, unknown> {
    this.received.set(raw, (this.received.get(raw) ?? 0) + 1)
    if (this.#storedRaw.has(raw)) this.resentAfterStored++
    let source: Record<string, unknown>
    try {
      source = JSON.parse(raw) as Record<string, unknown>
    } catch {
      return { _index: index, _id: id ?? null, status: 400, error: { type: 'document_parsing_exception', reason: '[1:2] failed to parse: Unexpected character' } }
    }
    const docId = id ?? randomBytes(15).toString('base64url')
    if (this.faults.mappingError?.(source)) {
      return {
        _index: index,
        _id: docId,
        status: 400,
        error: {
          type: 'document_parsing_exception',
          reason: `[1:2] failed to parse field [bad] of type [long] in document with id '${docId}'. Preview of field's value: '${String(source.bad)}'`,
          caused_by: { type: 'illegal_argument_exception', reason: `For input string: "${String(source.bad)}"` },
        },
      }
    }
    if (reject || this.#random() < this.faults.itemRejectRate) {
      return {
        _index: index,
        _id: id ?? null,
        status: 429,
        error: {
          type: 'es_rejected_execution_exception',
          reason:
            'rejected execution of primary operation [coordinating_and_primary_bytes=0, replica_bytes=0, all_bytes=0, primary_operation_bytes=300, max_coordinating_and_primary_bytes=107374182]',
        },
      }
    }
    let docs = this.indices.get(index)
    if (!docs) this.indices.set(index, (docs = new Map()))
    const existing = docs.get(docId)
    if (existing && op === 'create') {
      return {
        _index: index,
        _id: docId,
        status: 409,
        error: { type: 'version_conflict_engine_exception', reason: `[${docId}]: version conflict, document already exists (current version [1])`, index },
      }
    }
    docs.set(docId, { index, id: docId, raw, source })
    this.#storedRaw.add(raw)
    return {
      _index: index,
      _id: docId,
      _version: existing ? 2 : 1,
      result: existing ? 'updated' : 'created',
      _shards: { total: 1, successful: 1, failed: 0 },
      _seq_no: this.#seqNo++,
      _primary_term: 1,
      status: existing ? 200 : 201,
    }
  }

  #json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body)
    res.writeHead(status, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch', 'content-length': Buffer.byteLength(text), ...headers })
    res.end(text)
  }

  /** mulberry32: repeatable dice for the item-reject fault. */
  #random(): number {
    this.#seed = (this.#seed + 0x6d2b79f5) >>> 0
    let t = this.#seed
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export async function startFakeElasticsearch(options?: FakeElasticsearchOptions): Promise<FakeElasticsearch> {
  return new FakeElasticsearch(options).start()
}

function badRequest(type: string, reason: string): unknown {
  return { error: { root_cause: [{ type, reason }], type, reason }, status: 400 }
}

/**
 * Elasticsearch's `filter_path`: comma-separated dotted paths, `*` matching any one key;
 * arrays are transparent; what matches nothing is left out.
 */
export function filterByPath(value: unknown, filterPath: string): unknown {
  const patterns = filterPath
    .split(',')
    .map((p) => p.trim().split('.'))
    .filter((p) => p.length > 0 && p[0] !== '')
  return filter(value, patterns) ?? {}
}

function filter(value: unknown, patterns: string[][]): unknown {
  if (Array.isArray(value)) {
    const kept = value.map((v) => filter(v, patterns)).filter((v) => v !== undefined)
    return kept.length > 0 ? kept : undefined
  }
  if (!value || typeof value !== 'object') return undefined
  const out: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value)) {
    const matching = patterns.filter((p) => p[0] === '*' || p[0] === key)
    if (matching.length === 0) continue
    if (matching.some((p) => p.length === 1)) {
      out[key] = child
      continue
    }
    const kept = filter(
      child,
      matching.map((p) => p.slice(1)),
    )
    if (kept !== undefined) out[key] = kept
  }
  return Object.keys(out).length > 0 ? out : undefined
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve()
}
