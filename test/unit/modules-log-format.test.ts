import { describe, expect, it } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { createParser } from '../../src/tail/modules/index.js'
import { compileNginxFormat } from '../../src/tail/modules/log-format/nginx.js'
import { compileApacheFormat } from '../../src/tail/modules/log-format/apache.js'

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
