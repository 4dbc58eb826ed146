import { describe, expect } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { createParser } from '../../src/tail/modules/index.js'
import { DocumentBuilder, type DocumentOptions } from '../../src/tail/document.js'
import { jsonFlatObject, jsonString, jsonStrings } from '../../src/tail/modules/json-text.js'
import type { EntryParser } from '../../src/tail/entry-parser.js'

// The access parsers render a document straight as JSON text when nothing else is merged into
// it (document.ts). That text must be exactly what the object path gives: the same keys, in the
// same order, the same escaping. Both are built here from the same lines and compared as text.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** Any text, with the characters that matter to JSON and to the access-log reader made likely. */
const oddText = (max: number) =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: max }),
    fc.string({
      unit: fc.constantFrom('a', ' ', '"', '\\', '\\x22', '\\x', ',', '-', '[', ']', ':', '/', '?', '#', '\u00e9', '\u2028', '\ud83d\ude00', '\ud800', '\u0000', '\t', '\u007f'),
      maxLength: max,
    }),
  )

const token = fc.stringMatching(/^[A-Za-z0-9._~-]{1,12}$/)

/** What real referrers and agents look like, besides odd text. */
const headerValue = fc.oneof(
  oddText(40),
  fc.webUrl({ withQueryParameters: true }),
  fc.constantFrom(
    '-',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
    'curl/8.5.0',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) \\x22quoted\\x22 \\xC3\\xA9',
  ),
)

const addresses = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  token,
  fc.constant('-'),
  fc.array(fc.oneof(fc.ipV4(), fc.constant('-'), fc.constant(' '), token), { minLength: 1, maxLength: 4 }).map((l) => l.join(', ')),
  fc
    .tuple(
      fc.oneof(
        token,
        fc.ipV4(),
        fc.ipV6().map((a) => `[${a}]`),
      ),
      fc.option(fc.integer({ min: 0, max: 99999 })),
      fc.oneof(fc.ipV4(), token),
    )
    .map(([h, p, a]) => `${h}${p === null ? '' : `:${p}`} ${a}`),
)

const times = fc.oneof(
  fc
    .tuple(
      fc.integer({ min: 1, max: 31 }),
      fc.constantFrom(...MONTHS),
      fc.integer({ min: 1970, max: 2100 }),
      fc.integer({ min: 0, max: 23 }),
      fc.integer({ min: 0, max: 59 }),
      fc.integer({ min: 0, max: 59 }),
      fc.constantFrom('+0000', '-0700', '+0530', '+1400'),
    )
    .map(([d, m, y, h, mi, s, z]) => `${String(d).padStart(2, '0')}/${m}/${y}:${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(s).padStart(2, '0')} ${z}`),
  oddText(30),
)

const requests = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('GET', 'POST', 'PROPFIND', 'g@t', 'CONNECT', 'OPTIONS'),
      fc.oneof(oddText(20), fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.constantFrom('*', '/a?b#c', 'host:443', '/?', '')),
      fc.option(fc.constantFrom('HTTP/1.1', 'HTTP/2.0', 'HTTP/x')),
    )
    .map(([m, t, v]) => `${m} ${t}${v === null ? '' : ` ${v}`}`),
  fc.constantFrom('-', ''),
  oddText(30),
)

const trailers = fc.oneof(
  fc.constant(''),
  fc
    .tuple(
      fc.option(oddText(30)),
      fc.option(fc.oneof(fc.constantFrom('0.123', 'rt=1.5', 'request_time=0.000', '12', 'x', '.5', '3.'), oddText(8))),
      fc.option(fc.constantFrom('"-"', '"1.2.3.4, 5.6.7.8"', '""', '" , "')),
    )
    .map(([q, rt, extra]) => `${q === null ? '' : ` "${q}"`}${rt === null ? '' : ` ${rt}`}${extra === null ? '' : ` ${extra}`}`),
  oddText(20),
)

const lines = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .record({
        addr: addresses,
        ident: fc.constantFrom('-', 'x'),
        user: fc.oneof(fc.constant('-'), token, oddText(10)),
        time: times,
        request: requests,
        status: fc.oneof(fc.integer({ min: 100, max: 599 }).map(String), fc.constantFrom('099', 'abc')),
        bytes: fc.oneof(fc.constant('-'), fc.nat().map(String), fc.constantFrom('1e3', '')),
        combined: fc.boolean(),
        referrer: headerValue,
        agent: headerValue,
        trailer: trailers,
      })
      .map((r) => `${r.addr} ${r.ident} ${r.user} [${r.time}] "${r.request}" ${r.status} ${r.bytes}${r.combined ? ` "${r.referrer}" "${r.agent}"${r.trailer}` : ''}`),
  },
  { weight: 1, arbitrary: oddText(80) },
)

const documentOptions = fc.record({
  path: fc.option(oddText(20)),
  flags: fc.constantFrom(0, 1, 2, 3),
  offset: fc.nat(),
  id: fc.option(fc.stringMatching(/^[a-f0-9]{8,20}$/)),
  fields: fc.option(
    fc.oneof(
      fc.dictionary(fc.constantFrom('env', 'team', 'service', 'labels'), fc.jsonValue()),
      fc.dictionary(fc.constantFrom('url', 'event', 'tags', 'source', 'host'), fc.jsonValue()),
    ),
  ),
})

function builders(parserName: 'nginx.access' | 'apache.access', options: Omit<DocumentOptions, 'parser'>): { text: DocumentBuilder; object: DocumentBuilder } {
  const withText = createParser(parserName) as EntryParser
  const plain = createParser(parserName)
  const objectOnly: EntryParser = (line) => plain(line) // no asText: always the object path
  return { text: new DocumentBuilder({ ...options, parser: withText }), object: new DocumentBuilder({ ...options, parser: objectOnly }) }
}

describe("an access-log document rendered as text is the object path's document, byte for byte", () => {
  for (const parserName of ['nginx.access', 'apache.access'] as const) {
    test.prop([fc.array(lines, { minLength: 1, maxLength: 5 }), documentOptions], { numRuns: 400 })(parserName, (entries, o) => {
      const { text, object } = builders(parserName, { inputType: 'file', hostName: 'h', ...(o.fields === null ? {} : { fields: o.fields }) })
      if (o.path !== null) {
        text.setPath(o.path)
        object.setPath(o.path)
      }
      // Several lines through one builder: the parsers cache the last time they converted.
      for (const line of entries) {
        const id = o.id ?? undefined
        expect(text.build(line, o.offset, o.flags, '2026-12-02T00:00:00.000Z', id)).toBe(object.build(line, o.offset, o.flags, '2026-12-02T00:00:00.000Z', id))
      }
    })
  }
})

describe('JSON text helpers give what JSON.stringify gives', () => {
  test.prop([fc.string({ unit: 'binary' })])('strings, lone surrogates and control characters included', (s) => {
    expect(jsonString(s)).toBe(JSON.stringify(s))
  })
  test.prop([fc.array(fc.string({ unit: 'binary' }))])('lists of strings', (list) => {
    expect(jsonStrings(list)).toBe(JSON.stringify(list))
  })
  test.prop([fc.dictionary(fc.string({ unit: 'binary' }), fc.oneof(fc.string({ unit: 'binary' }), fc.integer(), fc.double(), fc.constant(undefined)))])(
    'flat objects of strings and numbers',
    (object) => {
      expect(jsonFlatObject(object)).toBe(JSON.stringify(object))
    },
  )
})
