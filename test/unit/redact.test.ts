import { describe, it, expect } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { maskSecrets } from '../../src/config/index.js'
import { redactUrlText, redactUrlsIn, replyExcerpt } from '../../src/redact.js'
import { resolveOptions } from '../../src/options/resolve.js'

/** Planted secrets in every shape the review found leaking. */
const SHAPES = {
  userinfo: 'https://elastic:PW-USERINFO-1@es.internal:9200/',
  usernameOnly: 'https://TOKEN-USERNAME-ONLY@es.internal:9200/',
  query: 'https://es.internal:9200/_bulk?api_key=QUERY-APIKEY-1&pipeline=p',
  sessionKey: 'https://collector.internal/ingest?session_key=QUERY-SESSION-1',
  pwd: 'https://collector.internal/ingest?user=u&pwd=QUERY-PWD-1',
  atInPassword: 'https://user:P@SS-AT-1@WORD@collector.internal/ingest',
}
const SECRETS = ['PW-USERINFO-1', 'TOKEN-USERNAME-ONLY', 'QUERY-APIKEY-1', 'QUERY-SESSION-1', 'QUERY-PWD-1', 'SS-AT-1', 'WORD@collector', 'P@SS']

function expectNoSecret(text: string): void {
  for (const secret of SECRETS) expect(text, text).not.toContain(secret)
}

describe('secrets never reach a message', () => {
  it('test config masking covers every shape', () => {
    const masked = JSON.stringify(
      maskSecrets({
        output: { type: 'http', url: SHAPES.atInPassword, headers: { 'x-api-token': 'HEADER-1' } },
        hosts: Object.values(SHAPES),
        nested: { session_key: 'SESSION-KEY-1', pwd: 'PWD-KEY-1', db_password: 'PW-KEY-1', apiKey: 'APIKEY-KEY-1' },
      }),
    )
    expectNoSecret(masked)
    for (const secret of ['HEADER-1', 'SESSION-KEY-1', 'PWD-KEY-1', 'PW-KEY-1', 'APIKEY-KEY-1']) expect(masked).not.toContain(secret)
    expect(masked).toContain('https://user:***@collector.internal/ingest')
    expect(masked).toContain('https://***@es.internal:9200/')
    expect(masked).toContain('?api_key=***&pipeline=***')
  })

  it('option errors never echo a URL unredacted', () => {
    const bad = [
      { output: { type: 'elasticsearch', hosts: ['ftp://user:PW-USERINFO-1@es.internal'] } },
      { output: { type: 'http', url: 'gopher://TOKEN-USERNAME-ONLY@h/x?api_key=QUERY-APIKEY-1' } },
      { output: { type: 'http', url: SHAPES.atInPassword, timeoutMs: -1 }, fields: 7 },
      { output: { type: 'elasticsearch', hosts: [{ url: SHAPES.pwd }] } },
      { output: { type: 'elasticsearch', hosts: SHAPES.sessionKey } },
    ]
    for (const options of bad) {
      let message = ''
      try {
        resolveOptions(options)
      } catch (err) {
        message = (err as Error).message
      }
      expect(message).toMatch(/invalid logship options/)
      expectNoSecret(message)
    }
  })

  test.prop([fc.stringMatching(/^[a-zA-Z0-9._~-]{1,12}$/), fc.stringMatching(/^[a-zA-Z0-9@:!$'()*+,;=._~-]{1,24}$/), fc.constantFrom('', '/p', '/p?x=1', '?a=b')])(
    'a password with any URL-legal characters (@ and : too) is masked whole',
    (user, password, tail) => {
      const redacted = redactUrlText(`https://${user}:${password}@host.example:9200${tail}`)
      const prefix = `https://${user}:***@host.example:9200`
      expect(redacted.startsWith(prefix)).toBe(true)
      // the rest is exactly what the same URL without credentials gives: no trace of the password
      const bare = 'https://host.example:9200'
      expect(redacted.slice(prefix.length)).toBe(redactUrlText(`${bare}${tail}`).slice(bare.length))
    },
  )

  it('URLs inside longer text are redacted; reply excerpts are short and mask echoed credentials', () => {
    expect(redactUrlsIn(`cannot reach ${SHAPES.userinfo} (ECONNREFUSED)`)).toBe('cannot reach https://elastic:***@es.internal:9200/ (ECONNREFUSED)')
    const echoed = replyExcerpt(
      `{"error":"bad","headers":{"authorization":"Basic ZWxhc3RpYzpQVy1VU0VSSU5GTy0x","x-api-key":"K-1"},"url":"${SHAPES.query}","note":"${'x'.repeat(500)}"}`,
    )
    expect(echoed.length).toBeLessThanOrEqual(120)
    expect(echoed).not.toContain('ZWxhc3RpYzpQVy1VU0VSSU5GTy0x')
    expect(echoed).not.toContain('K-1')
    expect(replyExcerpt('denied: Authorization: Bearer abc.def.ghi\r\n\u0007')).toBe('denied: Authorization: Bearer ***')
  })
})
