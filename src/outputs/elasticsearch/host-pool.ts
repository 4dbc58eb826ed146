import { Pool } from 'undici'
import { readReply } from '../read-reply.js'
import { tlsConnectOptions, type TlsOptions } from '../tls.js'
import { isRedirect, retryAfterMs } from '../http-status.js'
import type { Endpoint } from './endpoints.js'
import type { HostHealth } from '../output.js'
import { checkServer, type ServerVerdict } from './version-check.js'
import { hostChangeMessage } from '../host-change.js'
import { describeRequestFailure } from '../request-failure.js'

export interface HostPoolOptions {
  readonly endpoints: readonly Endpoint[]
  /** Connections per host. */
  readonly connections: number
  readonly timeoutMs: number
  /** First time a failing host is skipped; doubles per failure up to MAX_BACKOFF_MS. */
  readonly backoffMs: number
  readonly tls?: TlsOptions | undefined
  /** Sent with every request (auth, user headers). */
  readonly headers: Record<string, string>
  /** Longest reply body read; a longer one fails the request (see read-reply.ts). */
  readonly replyCapBytes: number
}

/** What came of one POST: a reply from some host, or no reply from any. */
export type PostOutcome =
  | {
      readonly kind: 'reply'
      readonly status: number
      readonly text: string
      readonly retryAfterMs?: number | undefined
      /** Where a redirect points, resolved against the host's address. */
      readonly location?: string | undefined
    }
  | { readonly kind: 'failed'; readonly fatal: boolean; readonly message: string }

interface Host {
  readonly endpoint: Endpoint
  readonly pool: Pool
  readonly headers: Record<string, string>
  failures: number
  downUntil: number
  lastError: string
  /** Set once `GET /` said this is a supported server. */
  verified: ServerVerdict | undefined
  checking: Promise<ServerVerdict> | undefined
}

const MAX_BACKOFF_MS = 30_000
/** Errors where the request never reached the server, so another host may safely take it. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])
/** Statuses that say "this node cannot take it now" rather than "the cluster refuses". */
const NODE_TROUBLE = new Set([502, 503, 504])

/**
 * Keep-alive undici pools, one per host, used round-robin. A host that fails (network error,
 * 502/503/504, failed version check) is skipped for a backoff period, then tried again. When
 * every host is down, the one whose backoff ends first is tried. Each host is version-checked
 * with `GET /` before its first bulk request.
 */
export class HostPool {
  readonly #hosts: Host[]
  readonly #options: HostPoolOptions
  #next = 0
  #report: ((message: string) => void) | undefined

  constructor(options: HostPoolOptions) {
    this.#options = options
    this.#hosts = options.endpoints.map((endpoint) => ({
      endpoint,
      pool: new Pool(endpoint.origin, {
        connections: options.connections,
        keepAliveTimeout: 30_000,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        connectTimeout: Math.min(options.timeoutMs, 10_000),
        connect: options.tls ? tlsConnectOptions(options.tls) : {},
      }),
      headers: endpoint.urlAuthorization && !options.headers.authorization ? { ...options.headers, authorization: endpoint.urlAuthorization } : options.headers,
      failures: 0,
      downUntil: 0,
      lastError: '',
      verified: undefined,
      checking: undefined,
    }))
  }

  /** POSTs `body` to `path` (below the host's base path), failing over while nothing was sent. */
  async post(path: string, body: Buffer, headers: Record<string, string>, signal: AbortSignal): Promise<PostOutcome> {
    let last = 'no host could be reached'
    for (let attempt = 0; attempt < this.#hosts.length; attempt++) {
      if (signal.aborted) break
      const host = this.#pick()
      const verdict = await this.#verify(host, signal)
      if (!verdict.ok) {
        if (verdict.fatal) return { kind: 'failed', fatal: true, message: `${host.endpoint.label}: ${verdict.message}` }
        this.#markDown(host, verdict.message)
        last = `${host.endpoint.label}: ${verdict.message}`
        continue
      }
      try {
        const res = await host.pool.request({
          method: 'POST',
          path: `${host.endpoint.basePath}${path}`,
          headers: { ...host.headers, ...headers },
          body,
          signal: AbortSignal.any([signal, AbortSignal.timeout(this.#options.timeoutMs)]),
        })
        const text = await readReply(res, this.#options.replyCapBytes)
        if (NODE_TROUBLE.has(res.statusCode)) this.#markDown(host, `HTTP ${res.statusCode}`)
        else this.#markUp(host)
        const location = isRedirect(res.statusCode) ? redirectTarget(res.headers.location, host.endpoint.origin) : undefined
        return { kind: 'reply', status: res.statusCode, text, retryAfterMs: retryAfterMs(res.headers['retry-after']), location }
      } catch (err) {
        const why = describeRequestFailure(err, 'hosts')
        this.#markDown(host, `request failed: ${why}`)
        last = `${host.endpoint.label}: request failed: ${why}`
        if (!notSent(err)) break // it may have been stored: the caller decides about a resend
      }
    }
    return { kind: 'failed', fatal: false, message: last }
  }

  async close(): Promise<void> {
    await Promise.all(this.#hosts.map((h) => h.pool.close()))
  }

  /** With several hosts: tells `report` each time one goes down or comes back. */
  reportTo(report: (message: string) => void): void {
    this.#report = report
  }

  /** Per host: up unless its last request failed (it is then skipped for a backoff period). */
  health(): HostHealth[] {
    return this.#hosts.map((h) =>
      h.failures === 0 ? { host: h.endpoint.label, up: true, failures: 0 } : { host: h.endpoint.label, up: false, failures: h.failures, lastError: h.lastError },
    )
  }

  #pick(): Host {
    const now = Date.now()
    const count = this.#hosts.length
    for (let i = 0; i < count; i++) {
      const host = this.#hosts[(this.#next + i) % count]!
      if (host.downUntil <= now) {
        this.#next = (this.#next + i + 1) % count
        return host
      }
    }
    return this.#hosts.reduce((a, b) => (b.downUntil < a.downUntil ? b : a))
  }

  #verify(host: Host, signal: AbortSignal): Promise<ServerVerdict> {
    if (host.verified) return Promise.resolve(host.verified)
    host.checking ??= checkServer(host.pool, host.endpoint, host.headers, AbortSignal.any([signal, AbortSignal.timeout(this.#options.timeoutMs)])).then((verdict) => {
      host.checking = undefined
      if (verdict.ok) host.verified = verdict
      return verdict
    })
    return host.checking
  }

  #markDown(host: Host, reason: string): void {
    host.failures++
    host.lastError = reason
    if (host.failures === 1) this.#reportChange(host)
    host.downUntil = Date.now() + Math.min(MAX_BACKOFF_MS, this.#options.backoffMs * 2 ** (host.failures - 1))
    // a host that went away may come back as something else: check it again
    host.verified = undefined
  }

  #markUp(host: Host): void {
    const wasDown = host.failures > 0
    host.failures = 0
    host.downUntil = 0
    if (wasDown) this.#reportChange(host)
  }

  #reportChange(host: Host): void {
    if (this.#hosts.length < 2) return // with one host, the engine's own error says it
    const down = this.#hosts.filter((h) => h.failures > 0).length
    this.#report?.(hostChangeMessage(host.endpoint.label, host.failures === 0, host.lastError, down, this.#hosts.length))
  }
}

function notSent(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code
  const causeCode = (err as { cause?: { code?: unknown } })?.cause?.code
  return NOT_SENT.has(String(code)) || NOT_SENT.has(String(causeCode))
}

/** A Location header resolved against `origin` (a relative one names the same host). */
function redirectTarget(location: string | string[] | undefined, origin: string): string | undefined {
  const where = Array.isArray(location) ? location[0] : location
  if (!where) return undefined
  try {
    return new URL(where, origin).href
  } catch {
    return where
  }
}
