import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { accessTime } from '../../src/tail/modules/access-scan.js'
import { isoText, secondsToNanos, wallClock } from '../../src/tail/modules/time.js'
import { addressFields, isIP, isIPv4, splitHostPort } from '../../src/tail/modules/ip.js'
import { splitUrl } from '../../src/tail/modules/url.js'
import { closingQuote, unescapeLogText } from '../../src/tail/modules/escapes.js'
import { mergeFields } from '../../src/tail/modules/merge.js'
import { createParser, PARSER_NAMES, PARSE_FAILURE_TAG, MODULES, type FilesetDefinition } from '../../src/tail/modules/index.js'
import { splitEntries } from '../helpers/entries.js'

describe('times', () => {
  it('reads access-log times with their offsets', () => {
    expect(accessTime('10/Oct/2000:13:55:36 -0700')).toBe('2000-10-10T20:55:36.000Z')
    expect(accessTime('01/Jan/2024:00:30:00 +0100')).toBe('2023-12-31T23:30:00.000Z')
    expect(accessTime('29/Feb/2024:23:59:60 +0000')).toBe('2024-03-01T00:00:00.000Z') // leap second rolls over
    expect(accessTime('29/Feb/2023:12:00:00 +0000')).toBe('')
    expect(accessTime('10/Foo/2000:13:55:36 -0700')).toBe('')
    expect(accessTime('10/Oct/2000:13:55:36 0700')).toBe('')
    expect(accessTime('10/Oct/2000 13:55:36 -0700')).toBe('')
  })

  it('turns wall-clock times into instants for fixed, UTC and IANA zones across DST', () => {
    expect(wallClock('UTC')(2024, 5, 1, 12, 0, 0)).toBe(Date.UTC(2024, 5, 1, 12))
    expect(wallClock('+05:30')(2024, 5, 1, 12, 0, 0)).toBe(Date.UTC(2024, 5, 1, 6, 30))
    expect(wallClock('-0800')(2024, 5, 1, 12, 0, 0)).toBe(Date.UTC(2024, 5, 1, 20))
    const berlin = wallClock('Europe/Berlin')
    expect(berlin(2024, 0, 15, 13, 0, 0)).toBe(Date.UTC(2024, 0, 15, 12)) // CET
    expect(berlin(2024, 6, 15, 14, 0, 0)).toBe(Date.UTC(2024, 6, 15, 12)) // CEST
    expect(berlin(2024, 2, 31, 3, 30, 0)).toBe(Date.UTC(2024, 2, 31, 1, 30)) // just after the spring change
    const newYork = wallClock('America/New_York')
    expect(newYork(2024, 10, 4, 7, 0, 0)).toBe(Date.UTC(2024, 10, 4, 12)) // EST, the day after the change
    expect(wallClock('local')(2024, 5, 1, 12, 0, 0)).toBe(new Date(2024, 5, 1, 12).getTime())
    expect(() => wallClock('Europe/Nowhere')).toThrow(RangeError)
  })

  it('keeps the sub-second digits the log wrote', () => {
    expect(isoText(Date.UTC(2024, 5, 1, 12), '123456')).toBe('2024-06-01T12:00:00.123456Z')
    expect(isoText(Date.UTC(2024, 5, 1, 12), '5')).toBe('2024-06-01T12:00:00.500Z')
    expect(isoText(Date.UTC(2024, 5, 1, 12))).toBe('2024-06-01T12:00:00.000Z')
  })

  it('converts decimal seconds to exact nanoseconds', () => {
    expect(secondsToNanos('0.000123')).toBe(123_000)
    expect(secondsToNanos('0.004')).toBe(4_000_000)
    expect(secondsToNanos('12')).toBe(12_000_000_000)
    expect(secondsToNanos('1.0000000019')).toBe(1_000_000_001)
    expect(secondsToNanos('.5')).toBe(500_000_000)
    for (const bad of ['', '.', '-1', '1.2.3', 'abc', '1e3']) expect(secondsToNanos(bad), bad).toBeNaN()
  })
})

describe('addresses', () => {
  it('tells IPv4, IPv6 and names apart', () => {
    for (const ip of ['0.0.0.0', '10.0.0.1', '255.255.255.255', '192.168.1.10']) expect(isIPv4(ip), ip).toBe(true)
    for (const no of ['256.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1..2.3', 'a.b.c.d', '1.2.3.4 ', '']) expect(isIPv4(no), no).toBe(false)
    for (const ip of ['::1', '2001:db8::7', 'fe80::1%eth0', '::ffff:192.0.2.1']) expect(isIP(ip), ip).toBe(true)
    for (const no of ['localhost', 'web1.example.com', '2001:db8:::1', '-']) expect(isIP(no), no).toBe(false)
    expect(addressFields('-')).toBeUndefined()
    expect(addressFields('')).toBeUndefined()
    expect(addressFields('::1')).toEqual({ address: '::1', ip: '::1' })
    expect(addressFields('db.internal')).toEqual({ address: 'db.internal', domain: 'db.internal' })
  })

  it('splits ports off addresses without eating IPv6 groups', () => {
    expect(splitHostPort('10.0.0.1:5432', true)).toEqual({ host: '10.0.0.1', port: 5432 })
    expect(splitHostPort('10.0.0.1', true)).toEqual({ host: '10.0.0.1' })
    expect(splitHostPort('::1:33484', true)).toEqual({ host: '::1', port: 33484 })
    expect(splitHostPort('2001:db8::1', false)).toEqual({ host: '2001:db8::1' })
    expect(splitHostPort('[2001:db8::1]:443', false)).toEqual({ host: '2001:db8::1', port: 443 })
    expect(splitHostPort('example.com:80', false)).toEqual({ host: 'example.com', port: 80 })
    expect(splitHostPort('example.com:99999', true)).toEqual({ host: 'example.com:99999' })
  })
})

describe('urls', () => {
  it('splits request targets as ECS url fields', () => {
    expect(splitUrl('/a/b?x=1&y=2#top', {})).toEqual({ path: '/a/b', query: 'x=1&y=2', fragment: 'top' })
    expect(splitUrl('/a?', {})).toEqual({ path: '/a', query: '' })
    expect(splitUrl('/a#f?not-query', {})).toEqual({ path: '/a', fragment: 'f?not-query' })
    expect(splitUrl('https://user@[2001:db8::1]:8443/x?q', {})).toEqual({ scheme: 'https', domain: '2001:db8::1', port: 8443, path: '/x', query: 'q' })
    expect(splitUrl('HTTP://Example.com', {})).toEqual({ scheme: 'http', domain: 'Example.com' })
    expect(splitUrl('*', {})).toEqual({})
    expect(splitUrl('example.com:443', {})).toEqual({ domain: 'example.com', port: 443 })
  })
})

describe('escapes', () => {
  it('undoes apache and nginx escaping, decoding escaped bytes as UTF-8', () => {
    expect(unescapeLogText('a \\"b\\" c')).toBe('a "b" c')
    expect(unescapeLogText('x\\\\y')).toBe('x\\y')
    expect(unescapeLogText('\\x22q\\x22 \\x5C')).toBe('"q" \\')
    expect(unescapeLogText('caf\\xC3\\xA9')).toBe('café')
    expect(unescapeLogText('bad \\xFF byte')).toBe('bad \uFFFD byte')
    expect(unescapeLogText('tab\\there\\n')).toBe('tab\there\n')
    expect(unescapeLogText('not \\q an escape, \\x4 short')).toBe('not \\q an escape, \\x4 short')
    expect(unescapeLogText('plain')).toBe('plain')
  })

  it('finds the quote that closes a field, past escaped quotes', () => {
    expect(closingQuote('"a\\"b" x', 1)).toBe(5)
    expect(closingQuote('"a\\\\" x', 1)).toBe(4)
    expect(closingQuote('"a\\\\\\"b" x', 1)).toBe(7)
    expect(closingQuote('"open', 1)).toBe(-1)
  })
})

describe('mergeFields', () => {
  it('merges parser fields into a document: objects deep, arrays appended, parser values win', () => {
    const doc = { '@timestamp': 'read-time', message: 'raw line', log: { file: { path: '/x' }, offset: 7 }, tags: ['from-input'] }
    mergeFields(doc, { '@timestamp': 'log-time', log: { level: 'error' }, message: 'text', tags: [PARSE_FAILURE_TAG], event: { dataset: 'nginx.error' } })
    expect(doc).toEqual({
      '@timestamp': 'log-time',
      message: 'text',
      log: { file: { path: '/x' }, offset: 7, level: 'error' },
      tags: ['from-input', PARSE_FAILURE_TAG],
      event: { dataset: 'nginx.error' },
    })
  })
})

describe('parsers on damaged input', () => {
  const fixtures = Object.entries(MODULES).flatMap(([m, d]) =>
    Object.entries(d.filesets as Readonly<Record<string, FilesetDefinition>>).map(([f, def]) => ({ name: `${m}-${f}`, def })),
  )

  it.each(fixtures)('$name: every truncation of every fixture entry parses or fails cleanly', ({ name, def }) => {
    const text = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'modules', `${name}.log`), 'utf8')
    const parse = createParser(def.parser, { timezone: 'UTC' })
    const [module] = def.parser.split('.')
    let failures = 0
    for (const entry of splitEntries(text, def.multiline, def.excludeLines)) {
      for (let cut = 0; cut <= entry.length; cut++) {
        const result = parse(entry.slice(0, cut)) as { event?: { dataset?: string; module?: string }; tags?: string[]; error?: { message?: string } }
        expect(result.event).toMatchObject({ dataset: def.parser, module })
        if (result.tags) {
          failures++
          expect(result.tags).toEqual([PARSE_FAILURE_TAG])
          expect(result.error?.message).toMatch(new RegExp(`^${def.parser.replace('.', '\\.')}: `))
        }
        expect(() => JSON.stringify(result)).not.toThrow()
      }
    }
    expect(failures).toBeGreaterThan(0)
  })

  it.each(PARSER_NAMES)('%s: line endings are not part of the values', (name) => {
    const parse = createParser(name, { timezone: 'UTC' })
    const samples: Record<string, string> = {
      'nginx.access': '10.0.0.1 - - [01/Jun/2024:12:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8"',
      'apache.access': '10.0.0.1 - - [01/Jun/2024:12:00:00 +0000] "GET / HTTP/1.1" 200 5',
      'nginx.error': '2024/06/01 12:00:00 [error] 1#1: boom',
      'apache.error': '[Sat Jun 01 12:00:00 2024] [error] boom',
      'mysql.error': '2024-06-01T12:00:00Z 0 [Note] boom',
      'mysql.slowlog': '# User@Host: a[a] @ localhost []\n# Query_time: 1  Lock_time: 0 Rows_sent: 0  Rows_examined: 0\nSET timestamp=1717243200;\nSELECT 1;',
    }
    const lf = parse(`${samples[name]}\n`)
    expect(parse(samples[name]!.replaceAll('\n', '\r\n') + '\r\n')).toEqual(lf)
    expect(lf.tags).toBeUndefined()
    expect(lf['@timestamp']).toBe('2024-06-01T12:00:00.000Z')
  })
})
