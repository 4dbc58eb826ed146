import { describe, it, expect } from 'vitest'
import { run, problems } from './helpers.js'

const FORMAT =
  '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" rt=$request_time urt="$upstream_response_time" tenant="$http_x_tenant" $ssl_protocol'

describe('nginx_access_format', () => {
  it('parses a custom log_format into the nginx.access ECS fields; unknown variables go to nginx.access.<name>', () => {
    const line = '203.0.113.9 - alice [24/Nov/2026:12:00:00 +0100] "GET /shop?q=1 HTTP/1.1" 502 153 "-" "curl/8.4.0" rt=0.120 urt="0.004, 0.110" tenant="acme corp" TLSv1.3'
    expect(run([{ nginx_access_format: { format: FORMAT } }], { message: line })).toEqual({
      message: line,
      '@timestamp': '2026-11-24T11:00:00.000Z',
      source: { address: '203.0.113.9', ip: '203.0.113.9' },
      user: { name: 'alice' },
      http: { request: { method: 'GET' }, version: '1.1', response: { status_code: 502, body: { bytes: 153 } } },
      url: { original: '/shop?q=1', path: '/shop', query: 'q=1' },
      user_agent: { original: 'curl/8.4.0' },
      event: { module: 'nginx', dataset: 'nginx.access', kind: 'event', category: ['web'], type: ['access'], outcome: 'failure', duration: 120_000_000 },
      nginx: { access: { upstream: { response_time: [0.004, 0.11] }, http_x_tenant: 'acme corp' } },
      tls: { version: '1.3', version_protocol: 'tls' },
    })
  })
  it('a line of another shape is tagged; a format with two variables side by side is refused', () => {
    expect((run([{ nginx_access_format: { format: FORMAT } }], { message: 'not nginx' }) as Record<string, any>).tags).toEqual(['_logship_processor_failure'])
    expect(problems([{ nginx_access_format: { format: '$remote_addr$status' } }])[0]).toMatch(
      /^0\.nginx_access_format\.format: \$remote_addr and \$status have no text between them/,
    )
  })
})
