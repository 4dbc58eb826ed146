import { describe, it, expect } from 'vitest'
import { createHash } from 'node:crypto'
import { run, problems } from './helpers.js'

const FAILED = '_logship_processor_failure'

describe('decode_json_fields', () => {
  it('replaces the field by default, or writes to target; "" merges at the top (existing keys win unless overwriteKeys)', () => {
    expect(run([{ decode_json_fields: { fields: ['m'] } }], { m: '{"a":1}' })).toEqual({ m: { a: 1 } })
    expect(run([{ decode_json_fields: { fields: ['m'], target: 'p' } }], { m: '{"a":1}' })).toEqual({ m: '{"a":1}', p: { a: 1 } })
    expect(run([{ decode_json_fields: { fields: ['m'], target: '' } }], { m: '{"a":1,"m":"x"}' })).toEqual({ m: '{"a":1,"m":"x"}', a: 1 })
    expect(run([{ decode_json_fields: { fields: ['m'], target: '', overwriteKeys: true } }], { m: '{"a":1,"m":"x"}' })).toEqual({ m: 'x', a: 1 })
  })
  it('decodes nested JSON strings up to maxDepth, arrays only with processArray', () => {
    expect(run([{ decode_json_fields: { fields: ['m'], maxDepth: 2 } }], { m: '{"inner":"{\\"b\\":2}"}' })).toEqual({ m: { inner: { b: 2 } } })
    expect(run([{ decode_json_fields: { fields: ['m'] } }], { m: '{"inner":"{\\"b\\":2}"}' })).toEqual({ m: { inner: '{"b":2}' } })
    expect(run([{ decode_json_fields: { fields: ['m'] } }], { m: '[1]' })).toEqual({ m: '[1]' })
    expect(run([{ decode_json_fields: { fields: ['m'], processArray: true } }], { m: '[1]' })).toEqual({ m: [1] })
  })
  it('leaves text that is not JSON, or tags it with addErrorKey', () => {
    expect(run([{ decode_json_fields: { fields: ['m'] } }], { m: 'plain' })).toEqual({ m: 'plain' })
    expect((run([{ decode_json_fields: { fields: ['m'], addErrorKey: true } }], { m: '{oops' }) as Record<string, any>).tags).toEqual([FAILED])
  })
})

describe('truncate_fields', () => {
  it('cuts by bytes without splitting a character, or by characters; flags the event truncated', () => {
    expect(run([{ truncate_fields: { fields: ['m'], maxBytes: 4 } }], { m: 'héllo', log: { offset: 0 } })).toEqual({ m: 'hél', log: { offset: 0, flags: ['truncated'] } })
    expect(run([{ truncate_fields: { fields: ['m'], maxCharacters: 2 } }], { m: '😀😀😀' })).toEqual({ m: '😀😀', log: { flags: ['truncated'] } })
    expect(run([{ truncate_fields: { fields: ['m'], maxCharacters: 9 } }], { m: 'short' })).toEqual({ m: 'short' })
  })
  it('wants exactly one limit; a value that is not a string fails unless failOnError: false', () => {
    expect(problems([{ truncate_fields: { fields: ['m'] } }])).toEqual(['0.truncate_fields.maxBytes: expected exactly one of maxBytes or maxCharacters'])
    expect((run([{ truncate_fields: { fields: ['m'], maxBytes: 2 } }], { m: 5 }) as Record<string, any>).tags).toEqual([FAILED])
    expect(run([{ truncate_fields: { fields: ['m'], maxBytes: 2, failOnError: false } }], { m: 5 })).toEqual({ m: 5 })
  })
})

describe('convert', () => {
  it('converts in place or to another field (copy or rename)', () => {
    expect(
      run(
        [
          {
            convert: {
              fields: [
                { from: 'a', type: 'integer' },
                { from: 'b', type: 'float' },
                { from: 'c', type: 'boolean' },
                { from: 'd', type: 'string' },
              ],
            },
          },
        ],
        { a: '42', b: '1.5', c: 'TRUE', d: 7 },
      ),
    ).toEqual({
      a: 42,
      b: 1.5,
      c: true,
      d: '7',
    })
    expect(run([{ convert: { fields: [{ from: 'a', to: 'n', type: 'long' }] } }], { a: '-3' })).toEqual({ a: '-3', n: -3 })
    expect(run([{ convert: { fields: [{ from: 'a', to: 'n', type: 'long' }], mode: 'rename' } }], { a: '-3' })).toEqual({ n: -3 })
    expect(run([{ convert: { fields: [{ from: 'ip', type: 'ip' }] } }], { ip: '2001:db8::1' })).toEqual({ ip: '2001:db8::1' })
  })
  it('a value that does not convert leaves the event as it was and tags it; failOnError: false skips it', () => {
    const out = run(
      [
        {
          convert: {
            fields: [
              { from: 'a', type: 'integer' },
              { from: 'b', type: 'integer' },
            ],
          },
        },
      ],
      { a: '1', b: '1.5' },
    ) as Record<string, any>
    expect(out).toMatchObject({ a: '1', b: '1.5', tags: [FAILED] })
    expect(out.error.message).toBe('processors[0] convert: b: cannot convert "1.5" to integer')
    expect(
      run(
        [
          {
            convert: {
              fields: [
                { from: 'a', type: 'integer' },
                { from: 'b', type: 'integer' },
              ],
              failOnError: false,
            },
          },
        ],
        { a: '1', b: 'x' },
      ),
    ).toEqual({ a: 1, b: 'x' })
    expect(problems([{ convert: { fields: [{ from: 'a', type: 'int' }] } }])[0]).toMatch(/^0\.convert\.fields\.0\.type: expected one of integer/)
  })
})

describe('fingerprint', () => {
  it('hashes |name|value of the sorted fields; the order of keys in the event does not matter', () => {
    const expected = createHash('sha256').update('|a|1|b|x|').digest('hex')
    expect(run([{ fingerprint: { fields: ['b', 'a'] } }], { a: 1, b: 'x' })).toEqual({ a: 1, b: 'x', fingerprint: expected })
    const one = run([{ fingerprint: { fields: ['a', 'b'], method: 'sha1', encoding: 'base64', targetField: 'id' } }], { b: 'x', a: 1 }) as Record<string, any>
    expect(one.id).toBe(createHash('sha1').update('|a|1|b|x|').digest('base64'))
  })
  it('base32 is RFC 4648; a missing field fails unless ignoreMissing', () => {
    const out = run([{ fingerprint: { fields: ['a'], method: 'md5', encoding: 'base32' } }], { a: 'x' }) as Record<string, any>
    expect(out.fingerprint).toMatch(/^[A-Z2-7]{26}======$/)
    expect((run([{ fingerprint: { fields: ['nope'] } }], {}) as Record<string, any>).tags).toEqual([FAILED])
  })
})

describe('timestamp', () => {
  it('parses Go layouts into @timestamp (UTC), the first layout that fits', () => {
    const list = [{ timestamp: { field: 't', layouts: ['2006-01-02T15:04:05Z07:00', '02/Jan/2006:15:04:05 -0700', 'Jan _2 2006 3:04:05.000 PM'] } }]
    expect(run(list, { t: '2026-11-24T10:00:00+02:00' })).toMatchObject({ '@timestamp': '2026-11-24T08:00:00.000Z' })
    expect(run(list, { t: '24/Nov/2026:10:00:00 -0130' })).toMatchObject({ '@timestamp': '2026-11-24T11:30:00.000Z' })
    expect(run(list, { t: 'Nov  4 2026 1:02:03.456 PM' })).toMatchObject({ '@timestamp': '2026-11-04T13:02:03.456Z' })
  })
  it('uses the time zone for times without an offset, keeps fractions Go accepts after seconds, takes UNIX and layout names', () => {
    expect(run([{ timestamp: { field: 't', layouts: ['2006-01-02 15:04:05'], timezone: 'Europe/Berlin' } }], { t: '2026-07-01 12:00:00.123456' })).toMatchObject({
      '@timestamp': '2026-07-01T10:00:00.123456Z',
    })
    expect(run([{ timestamp: { field: 't', layouts: ['UNIX_MS'], targetField: 'at' } }], { t: 1764000000000 })).toMatchObject({ at: '2025-11-24T16:00:00.000Z' })
    expect(run([{ timestamp: { field: 't', layouts: ['UNIX'] } }], { t: '1764000000.5' })).toMatchObject({ '@timestamp': '2025-11-24T16:00:00.500Z' })
    expect(run([{ timestamp: { field: 't', layouts: ['RFC1123Z'] } }], { t: 'Mon, 24 Nov 2025 16:00:00 +0000' })).toMatchObject({ '@timestamp': '2025-11-24T16:00:00.000Z' })
  })
  it('a time no layout fits fails (unless ignoreFailure); bad layouts and zones are config problems', () => {
    expect((run([{ timestamp: { field: 't', layouts: ['2006-01-02'] } }], { t: '2026-02-30' }) as Record<string, any>).tags).toEqual([FAILED])
    expect(run([{ timestamp: { field: 't', layouts: ['2006-01-02'], ignoreFailure: true } }], { t: 'x' })).toEqual({ t: 'x' })
    expect(problems([{ timestamp: { field: 't', layouts: ['YYYY-MM-DD'] } }])[0]).toMatch(/^0\.timestamp\.layouts\.0: layout "YYYY-MM-DD" has no date or time in it/)
    expect(problems([{ timestamp: { field: 't', layouts: ['2006'], timezone: 'Mars/Base' } }])[0]).toMatch(/^0\.timestamp\.timezone: unknown time zone "Mars\/Base"/)
  })
})
