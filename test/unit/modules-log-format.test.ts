import { describe, expect, it } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { createParser } from '../../src/tail/modules/index.js'
import { compileNginxFormat } from '../../src/tail/modules/log-format/nginx.js'
import { compileApacheFormat } from '../../src/tail/modules/log-format/apache.js'
import { formatFieldList } from '../../src/tail/modules/field-list.js'
import { flatten } from '../helpers/entries.js'
import { parseConfigText } from '../../src/config/index.js'

const COMBINED_NGINX = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"'
const COMBINED_APACHE = '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"'

/** A combined line as the generators below and nginx write it. */
function combinedLines(): fc.Arbitrary<string> {
  const token = fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/)
  return fc
    .record({
      addr: fc.oneof(fc.ipV4(), fc.ipV6()),
      user: fc.oneof(fc.constant('-'), token),
      time: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2037-12-31T00:00:00Z'), noInvalidDate: true }),
      offset: fc.integer({ min: -12 * 60, max: 14 * 60 }).map((m) => m - (m % 15)),
      method: fc.constantFrom('GET', 'POST', 'HEAD', 'PROPFIND'),
      path: fc.stringMatching(/^\/[A-Za-z0-9/._-]{0,20}(\?[a-z0-9=&]{0,10})?$/),
      version: fc.constantFrom('1.0', '1.1', '2.0'),
      status: fc.integer({ min: 100, max: 599 }),
      bytes: fc.oneof(fc.constant('-'), fc.nat({ max: 10_000_000 }).map(String)),
      referrer: fc.oneof(fc.constant('-'), fc.webUrl()),
      agent: fc.oneof(fc.constant('-'), fc.stringMatching(/^[ -!#-[\]-~]{1,40}$/)),
    })
    .map((r) => `${r.addr} - ${r.user} [${accessTimeText(r.time, r.offset)}] "${r.method} ${r.path} HTTP/${r.version}" ${r.status} ${r.bytes} "${r.referrer}" "${r.agent}"`)
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
/** `10/Oct/2000:13:55:36 -0700`: the instant `time` as a clock `offsetMinutes` from UTC shows it. */
function accessTimeText(time: Date, offsetMinutes: number): string {
  const local = new Date(Math.floor(time.getTime() / 1000) * 1000 + offsetMinutes * 60_000)
  const p = (n: number) => String(n).padStart(2, '0')
  const sign = offsetMinutes < 0 ? '-' : '+'
  const abs = Math.abs(offsetMinutes)
  return `${p(local.getUTCDate())}/${MONTHS[local.getUTCMonth()]}/${local.getUTCFullYear()}:${p(local.getUTCHours())}:${p(local.getUTCMinutes())}:${p(local.getUTCSeconds())} ${sign}${p(Math.floor(abs / 60))}${p(abs % 60)}`
}

describe('a compiled combined format gives the same fields as the built-in parser', () => {
  const nginxBuiltIn = createParser('nginx.access')
  const nginxCompiled = compileNginxFormat(COMBINED_NGINX).parse
  const apacheBuiltIn = createParser('apache.access')
  const apacheCompiled = compileApacheFormat(COMBINED_APACHE).parse

  test.prop([combinedLines()])('nginx', (line) => {
    expect(nginxCompiled(line)).toEqual(nginxBuiltIn(line))
  })
  test.prop([combinedLines()])('apache', (line) => {
    expect(apacheCompiled(line)).toEqual(apacheBuiltIn(line))
  })
})

/** nginx's default `escape=default`: `"`, `\`, control bytes and bytes above 0x7e as \xHH (of the UTF-8 bytes). */
function nginxEscape(text: string): string {
  let out = ''
  for (const byte of Buffer.from(text, 'utf8')) {
    out += byte === 0x22 || byte === 0x5c || byte < 0x20 || byte > 0x7e ? `\\x${byte.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(byte)
  }
  return out
}

describe('parser: { nginx: { logFormat } }', () => {
  const FORMAT =
    '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" rt=$request_time uct=$upstream_connect_time urt="$upstream_response_time" $upstream_addr $upstream_status tenant="$http_x_tenant" $host $ssl_protocol'
  const parse = compileNginxFormat(FORMAT).parse
  const listed = formatFieldList({ nginx: { logFormat: FORMAT } }).fields.map((f) => f.field)
  const seconds = fc.integer({ min: 0, max: 99_999 }).map((ms) => (ms / 1000).toFixed(3))
  const upstreams = fc.array(fc.tuple(fc.ipV4(), fc.integer({ min: 1, max: 65535 }), seconds, fc.integer({ min: 100, max: 599 })), { minLength: 1, maxLength: 3 })

  test.prop([
    fc.record({
      addr: fc.oneof(fc.ipV4(), fc.ipV6()),
      user: fc.option(
        fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/).filter((u) => u !== '-'),
        { nil: undefined },
      ), // '-' is nginx's "no value"
      time: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2037-12-31T00:00:00Z'), noInvalidDate: true }),
      offset: fc.integer({ min: -12 * 4, max: 14 * 4 }).map((q) => q * 15),
      method: fc.constantFrom('GET', 'POST', 'DELETE'),
      path: fc.stringMatching(/^\/[A-Za-z0-9/._-]{0,20}$/),
      query: fc.option(fc.stringMatching(/^[a-z0-9=&]{0,10}$/), { nil: undefined }),
      status: fc.integer({ min: 100, max: 599 }),
      bytes: fc.nat({ max: 10_000_000 }),
      referrer: fc.option(fc.webUrl(), { nil: undefined }),
      agent: fc.option(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter((a) => a !== '-'),
        { nil: undefined },
      ),
      requestTime: seconds,
      upstreams,
      tenant: fc.string({ unit: 'binary', minLength: 2, maxLength: 20 }),
      host: fc.domain(),
      tls: fc.constantFrom('TLSv1.2', 'TLSv1.3'),
    }),
  ])('a line rendered with the format parses back into the values it was made from', (r) => {
    const target = r.query === undefined ? r.path : `${r.path}?${r.query}`
    const line = [
      `${r.addr} - ${r.user ?? '-'} [${accessTimeText(r.time, r.offset)}] "${r.method} ${target} HTTP/1.1" ${r.status} ${r.bytes}`,
      ` "${r.referrer === undefined ? '-' : nginxEscape(r.referrer)}" "${r.agent === undefined ? '-' : nginxEscape(r.agent)}"`,
      ` rt=${r.requestTime} uct=${r.upstreams.map((u) => u[2]).join(', ')} urt="${r.upstreams.map((u) => u[2]).join(', ')}"`,
      ` ${r.upstreams.map((u) => `${u[0]}:${u[1]}`).join(', ')} ${r.upstreams.map((u) => u[3]).join(', ')}`,
      ` tenant="${nginxEscape(r.tenant)}" ${r.host} ${r.tls}`,
    ].join('')
    const times = r.upstreams.map((u) => Number(u[2]))
    const f = parse(`${line}\n`) as Record<string, any>
    expect(f.tags, f.error?.message).toBeUndefined()
    // `logship modules fields --nginx-format` lists every field the line got
    for (const field of Object.keys(flatten(f))) expect(listed).toContain(field)
    expect(f).toEqual({
      '@timestamp': new Date(Math.floor(r.time.getTime() / 1000) * 1000).toISOString(),
      event: {
        module: 'nginx',
        dataset: 'nginx.access',
        kind: 'event',
        category: ['web'],
        type: ['access'],
        outcome: r.status >= 400 ? 'failure' : 'success',
        duration: Math.round(Number(r.requestTime) * 1000) * 1e6,
      },
      source: { address: r.addr, ip: r.addr },
      ...(r.user === undefined ? {} : { user: { name: r.user } }),
      http: {
        request: { method: r.method, ...(r.referrer === undefined ? {} : { referrer: r.referrer }) },
        version: '1.1',
        response: { status_code: r.status, body: { bytes: r.bytes } },
      },
      url: { original: target, path: r.path, domain: r.host, ...(r.query === undefined ? {} : { query: r.query }) },
      ...(r.agent === undefined ? {} : { user_agent: { original: r.agent } }),
      nginx: {
        access: {
          upstream: {
            connect_time: times.length === 1 ? times[0] : times,
            response_time: times.length === 1 ? times[0] : times,
            address: r.upstreams.map((u) => `${u[0]}:${u[1]}`),
            status: r.upstreams.map((u) => String(u[3])),
          },
          // `-` is nginx's "no value": a header that is only a dash sets nothing
          ...(r.tenant === '-' ? {} : { http_x_tenant: Buffer.from(r.tenant, 'utf8').toString('utf8') }),
        },
      },
      tls: { version: r.tls.slice(4), version_protocol: 'tls' },
    })
  })

  it('reads $uri$is_args$args, where nginx writes three variables side by side', () => {
    const p = compileNginxFormat('$remote_addr "$request_method $uri$is_args$args" $status').parse
    expect(p('10.0.0.1 "GET /a/b?x=1&y=2" 200')).toMatchObject({ url: { path: '/a/b', query: 'x=1&y=2' }, http: { request: { method: 'GET' } } })
    // without a query nginx writes $is_args as nothing and $args as "-"
    expect((p('10.0.0.1 "GET /a/b-" 200') as Record<string, any>).url).toEqual({ path: '/a/b' })
    expect((p('10.0.0.1 "GET /a/b--" 200') as Record<string, any>).url).toEqual({ path: '/a/b-' })
    expect((p('10.0.0.1 "GET /a/b?-" 200') as Record<string, any>).url).toEqual({ path: '/a/b' })
  })

  it('a line of another shape ships tagged, with what was expected after which variable', () => {
    const p = compileNginxFormat('$remote_addr [$time_local] "$request" $status').parse
    expect(p('10.0.0.1 [24/Nov/2026:12:00:00 +0100] GET / 200')).toEqual({
      event: { module: 'nginx', dataset: 'nginx.access' },
      error: { message: 'nginx.access: expected "] \\"" after $time_local' },
      tags: ['_logship_parse_failure'],
    })
  })

  it('refuses a variable nginx does not have, naming it and the nearest one; declared map/set variables are kept', () => {
    expect(() => compileNginxFormat('$remote_addr $upstream_respone_time')).toThrow(
      /^unknown variable \$upstream_respone_time \(did you mean \$upstream_response_time\?\): nginx has no such variable .* list it under variables: \[upstream_respone_time\]$/,
    )
    const p = compileNginxFormat('$remote_addr tenant=$tenant_id', { variables: ['tenant_id'] }).parse
    expect(p('10.0.0.1 tenant=acme')).toMatchObject({ nginx: { access: { tenant_id: 'acme' } } })
    expect(compileNginxFormat('$remote_addr $sent_http_content_type $cookie_session $arg_page').specs.map((s) => s.fields[0])).toEqual([
      'source.address',
      'nginx.access.sent_http_content_type',
      'nginx.access.cookie_session',
      'nginx.access.arg_page',
    ])
  })
})

describe('parser: { apache: { logFormat } }', () => {
  it('reads directives with arguments and modifiers, %U%q side by side, escaped quotes and %%', () => {
    const p = compileApacheFormat('%v:%{local}p %a %400,501{X-Trace}i %t "%r" %>s %B 100%% %D %{ms}T %{SSL_PROTOCOL}x %U%q %{Host}i %{sec}t').parse
    const f = p('www.example.com:443 2001:db8::1 abc\\"1 [02/Dec/2026:16:53:41 +0100] "GET /a\\"b?x=1 HTTP/2.0" 500 0 100% 2500 2 TLSv1.3 /a"b?x=1 www.example.com 1796226821')
    expect(f).toEqual({
      '@timestamp': '2026-12-02T15:53:41.000Z',
      event: { module: 'apache', dataset: 'apache.access', kind: 'event', category: ['web'], type: ['access'], outcome: 'failure', duration: 2_500_000 },
      destination: { domain: 'www.example.com', port: 443 },
      source: { address: '2001:db8::1', ip: '2001:db8::1' },
      http: { request: { method: 'GET' }, version: '2.0', response: { status_code: 500, body: { bytes: 0 } } },
      url: { original: '/a"b?x=1', path: '/a"b', query: 'x=1' },
      tls: { version: '1.3', version_protocol: 'tls' },
      apache: { access: { http_x_trace: 'abc"1', time_taken: { ms: 2 }, http_host: 'www.example.com' } },
    })
    // %{sec}t came last: it sets @timestamp again, to the same instant written as seconds
    expect(compileApacheFormat('%{sec}t %h').parse('1796226821 ::1')['@timestamp']).toBe('2026-12-02T15:53:41.000Z')
  })

  it('refuses a directive apache does not have, and %{}i without a header name', () => {
    expect(() => compileApacheFormat('%h %Z')).toThrow(/^unknown directive %Z: apache's LogFormat has no %Z/)
    expect(() => compileApacheFormat('%h %i')).toThrow(/^%i needs a name in braces, such as %\{User-Agent\}i/)
    expect(() => compileApacheFormat('%h%u')).toThrow(/^%h and %u have no text between them/)
    expect(() => compileApacheFormat('%{fortnights}T')).toThrow(/unknown unit "fortnights"/)
  })

  it('a line of another shape ships tagged, naming what was expected', () => {
    expect(compileApacheFormat('%h %l %u %t "%r" %>s %b').parse('not an access line')).toMatchObject({
      error: { message: 'apache.access: expected " \\"" after %t' },
      tags: ['_logship_parse_failure'],
    })
  })
})

describe('the parser key in a config', () => {
  const config = (parser: string) =>
    `inputs:\n  - type: file\n    paths: [/var/log/nginx/shop.log]\n    parser: ${parser}\noutput: { type: file, path: ./o.ndjson }\nregistry: { path: ./r.json }\n`
  const problem = (text: string) => {
    try {
      parseConfigText(text, 'logship.yml')
    } catch (err) {
      return (err as Error).message
    }
    return 'no problem'
  }

  it('takes a format string for either server, also in a module fileset, and names what is wrong with one', () => {
    expect(parseConfigText(config("{ nginx: { logFormat: '$remote_addr [$time_local] $status tier=$tier', variables: [tier] } }"), 'logship.yml').inputs[0]!.parser).toEqual({
      nginx: { logFormat: '$remote_addr [$time_local] $status tier=$tier', variables: ['tier'] },
    })
    expect(problem(config("{ nginx: { logFormat: '$remote_addr $reqest_time' } }"))).toBe(
      'logship.yml: line 4: inputs[0].parser.nginx.logFormat: got "$remote_addr $reqest_time"; unknown variable $reqest_time (did you mean $request_time?): nginx has no such variable and refuses a log_format that uses it. If nginx.conf makes it with map or set, list it under variables: [reqest_time]',
    )
    expect(problem(config("{ apache: { logFormat: '%h %Z' } }"))).toMatch(/inputs\[0\]\.parser\.apache\.logFormat: got "%h %Z"; unknown directive %Z/)
    expect(problem(config('nginx.acess'))).toMatch(
      /inputs\[0\]\.parser: got "nginx\.acess"; expected one of json \| nginx\.access .* or \{ nginx: \{ logFormat: '\.\.\.' \} \} or \{ apache: \{ logFormat: '\.\.\.' \} \}$/,
    )
    const modules = (format: string) =>
      `modules:\n  - module: nginx\n    error: { enabled: false }\n    access:\n      paths: [/var/log/nginx/shop.log]\n      input: { parser: { nginx: { logFormat: '${format}' } } }\noutput: { type: file, path: ./o.ndjson }\nregistry: { path: ./r.json }\n`
    expect(parseConfigText(modules('$remote_addr [$time_local] $status'), 'logship.yml').inputs[0]!.parser).toEqual({ nginx: { logFormat: '$remote_addr [$time_local] $status' } })
    expect(problem(modules('$remote_addr $reqest_time'))).toMatch(
      /modules\[0\]\(logFormat\)\.parser\.nginx\.logFormat: got "\$remote_addr \$reqest_time"; unknown variable \$reqest_time/,
    )
  })
})
