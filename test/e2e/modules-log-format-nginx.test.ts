import { describe, it, expect } from 'vitest'
import { spawn } from 'node:child_process'
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { runCli, tempDir, writeConfig, readNdjson } from '../helpers/cli.js'
import { freePort } from '../helpers/ports.js'
import { binary, missingSoftware } from '../helpers/system-software.js'
import { waitFor } from '../helpers/wait.js'

const MISSING = missingSoftware('nginx with a custom log_format as the parser', ['nginx'])

/**
 * Request and upstream times unquoted (a list may hold ", "), a quoted custom header, the
 * path and query side by side ($uri$is_args$args), and a variable made with map.
 */
const FORMAT =
  '$remote_addr - $remote_user [$time_local] "$request_method $uri$is_args$args $server_protocol" $status $body_bytes_sent "$http_referer" "$http_user_agent" rt=$request_time uct=$upstream_connect_time urt=$upstream_response_time ua=$upstream_addr us=$upstream_status tenant="$http_x_tenant" tier=$tier'

function get(port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end()
  })
}

describe.skipIf(MISSING)('a real nginx with a custom log_format, through parser: { nginx: { logFormat } }', () => {
  it('every variable lands in its ECS field', async () => {
    const dir = tempDir('nginx-logformat')
    for (const sub of ['logs', 'html', 'tmp']) mkdirSync(join(dir, sub), { recursive: true })
    writeFileSync(join(dir, 'html', 'index.html'), 'ok\n')
    const front = await freePort()
    const back = await freePort()
    const t = join(dir, 'tmp')
    writeFileSync(
      join(dir, 'nginx.conf'),
      `daemon off;
master_process off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'logs', 'error.log')} info;
events { worker_connections 64; }
http {
  client_body_temp_path ${t}; proxy_temp_path ${t}; fastcgi_temp_path ${t}; uwsgi_temp_path ${t}; scgi_temp_path ${t};
  map $http_x_tenant $tier { default free; "~corp" paid; }
  log_format custom '${FORMAT}';
  server { listen 127.0.0.1:${back}; root ${join(dir, 'html')}; access_log off; }
  server {
    listen 127.0.0.1:${front};
    access_log ${join(dir, 'logs', 'access.log')} custom;
    location / { proxy_pass http://127.0.0.1:${back}; }
  }
}
`,
    )
    const nginx = spawn(binary('nginx'), ['-p', dir, '-e', join(dir, 'logs', 'startup.log'), '-c', join(dir, 'nginx.conf')], { stdio: 'ignore' })
    const log = join(dir, 'logs', 'access.log')
    try {
      await waitFor(async () => (await get(front, '/', {}).catch(() => 0)) === 200, 'nginx to answer')
      expect(await get(front, '/index.html?q=1&r=2', { 'User-Agent': 'curl/8.4.0', Referer: 'http://example.test/', 'X-Tenant': 'acme "corp"' })).toBe(200)
      expect(await get(front, '/missing', { 'User-Agent': 'probe' })).toBe(404)
      await waitFor(() => existsSync(log) && readFileSync(log, 'utf8').split('\n').length >= 4, 'three access log lines')
    } finally {
      nginx.kill('SIGQUIT')
    }
    const cfg = writeConfig(
      dir,
      `inputs:
  - type: file
    paths: ['${log}']
    parser:
      nginx:
        logFormat: '${FORMAT}'
        variables: [tier]
registry: { path: ${join(dir, 'registry.json')} }
output: { type: file, path: ${join(dir, 'out.ndjson')} }
`,
    )
    const r = await runCli(['run', '--once', '-c', cfg])
    expect(r.code, r.stderr).toBe(0)
    const events = readNdjson<Record<string, any>>(join(dir, 'out.ndjson')).events
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
