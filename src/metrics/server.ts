import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { lazyRequire } from '../util/lazy-require.js'
import { Metrics } from './registry.js'
import { judgeHealth, type HealthLimits } from './health.js'
import type { MetricSources } from './snapshot.js'
import { describeError } from '../errors.js'

const crypto = lazyRequire<typeof import('node:crypto')>('node:crypto')

export interface MetricsServerOptions extends HealthLimits {
  readonly host: string
  /** 0 picks a free port (see `url`). */
  readonly port: number
  /** Requests must send `Authorization: Bearer <token>` when set. */
  readonly token?: string | undefined
}

export { exposureWarnings } from './exposure.js'

export interface MetricsServer {
  /** `http://host:port` once listening. */
  readonly url: string
  readonly metrics: Metrics
  close(): Promise<void>
}

const ROUTES = 'GET /metrics (Prometheus), GET /stats (JSON), GET /healthz'

/**
 * The stats endpoint: `/metrics`, `/stats`, `/healthz`. It never keeps the process alive
 * (the server is unref'd) and answers from one snapshot per request.
 */
export async function startMetricsServer(sources: MetricSources, options: MetricsServerOptions, metrics = new Metrics(sources)): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    handle(req, res, metrics, options).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
      res.end(`logship could not read its stats: ${describeError(err)}\n`)
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  server.unref()
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    url: `http://${host}:${address.port}`,
    metrics,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, metrics: Metrics, limits: MetricsServerOptions): Promise<void> {
  // the raw path: `//x` is a path here, not a URL with a host
  const path = (req.url ?? '/').split(/[?#]/, 1)[0]!
  if (limits.token !== undefined && !bearerMatches(req.headers.authorization, limits.token)) {
    res.writeHead(401, { 'www-authenticate': 'Bearer realm="logship"', 'content-type': 'text/plain; charset=utf-8' }).end('send Authorization: Bearer <http.token>\n')
    return
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end(`${ROUTES}\n`)
    return
  }
  if (path === '/metrics') {
    const text = await metrics.prometheus()
    res.writeHead(200, { 'content-type': metrics.contentType }).end(req.method === 'HEAD' ? undefined : text)
    return
  }
  if (path === '/stats') {
    sendJson(res, 200, await metrics.json())
    return
  }
  if (path === '/healthz') {
    const snapshot = await metrics.snapshot()
    const verdict = judgeHealth(snapshot, limits)
    sendJson(res, verdict.healthy ? 200 : 503, {
      status: verdict.healthy ? 'ok' : 'unhealthy',
      reasons: verdict.reasons,
      warnings: verdict.warnings,
      output: snapshot.outputName,
      queueFill: snapshot.stats.queueFill,
    })
    return
  }
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`not found; this endpoint serves ${ROUTES}\n`)
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim() ?? '')
  const expected = Buffer.from(token)
  return given.length === expected.length && crypto().timingSafeEqual(given, expected)
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(`${JSON.stringify(body, null, 2)}\n`)
}
