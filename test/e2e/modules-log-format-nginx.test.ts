import { describe, it, expect } from 'vitest'
import { tempDir } from '../helpers/cli.js'
import { get, shipLogOnce, waitForLogLines } from '../helpers/access-log.js'
import { startNginxWithLogFormat } from '../helpers/nginx.js'
import { missingSoftware } from '../helpers/system-software.js'

const MISSING = missingSoftware('nginx with a custom log_format as the parser', ['nginx'])

/**
 * Request and upstream times unquoted (a list may hold ", "), a quoted custom header, the
 * path and query side by side ($uri$is_args$args), and a variable made with map.
 */
const FORMAT =
  '$remote_addr - $remote_user [$time_local] "$request_method $uri$is_args$args $server_protocol" $status $body_bytes_sent "$http_referer" "$http_user_agent" rt=$request_time uct=$upstream_connect_time urt=$upstream_response_time ua=$upstream_addr us=$upstream_status tenant="$http_x_tenant" tier=$tier'

describe.skipIf(MISSING)('a real nginx with a custom log_format, through parser: { nginx: { logFormat } }', () => {
  it('every variable lands in its ECS field', async () => {
    const dir = tempDir('nginx-logformat')
    const nginx = await startNginxWithLogFormat(dir, FORMAT, 'map $http_x_tenant $tier { default free; "~corp" paid; }')
    const back = nginx.upstreamPort
    try {
      expect(await get(nginx.port, '/index.html?q=1&r=2', { 'User-Agent': 'curl/8.4.0', Referer: 'http://example.test/', 'X-Tenant': 'acme "corp"' })).toBe(200)
      expect(await get(nginx.port, '/missing', { 'User-Agent': 'probe' })).toBe(404)
      await waitForLogLines(nginx.accessLog, 3)
    } finally {
      await nginx.stop()
    }
    const events = await shipLogOnce(
      dir,
      nginx.accessLog,
      `    parser:
      nginx:
        logFormat: '${FORMAT}'
        variables: [tier]
`,
    )
    expect(events).toHaveLength(3)
    for (const e of events) expect(e.tags, e.error?.message).toBeUndefined()
    const hit = events.find((e) => e.url?.path === '/index.html')!
    expect(hit, JSON.stringify(events)).toBeDefined()
    expect(hit).toMatchObject({
      source: { address: '127.0.0.1', ip: '127.0.0.1' },
      http: { request: { method: 'GET', referrer: 'http://example.test/' }, version: '1.1', response: { status_code: 200, body: { bytes: 3 } } },
      url: { path: '/index.html', query: 'q=1&r=2' },
      user_agent: { original: 'curl/8.4.0' },
      event: { module: 'nginx', dataset: 'nginx.access', outcome: 'success' },
      // nginx writes the header's quotes as \\x22: unescaped again
      nginx: { access: { http_x_tenant: 'acme "corp"', tier: 'paid', upstream: { address: [`127.0.0.1:${back}`], status: ['200'] } } },
    })
    expect(Number.isInteger(hit.event.duration)).toBe(true)
    expect(typeof hit.nginx.access.upstream.response_time).toBe('number')
    expect(typeof hit.nginx.access.upstream.connect_time).toBe('number')
    expect(Date.parse(hit['@timestamp'])).toBeGreaterThan(Date.now() - 600_000)
    const miss = events.find((e) => e.url?.path === '/missing')!
    expect(miss).toMatchObject({ http: { response: { status_code: 404 } }, event: { outcome: 'failure' }, user_agent: { original: 'probe' }, nginx: { access: { tier: 'free' } } })
    expect(miss.url.query).toBeUndefined()
  })
})
