import { describe, it, expect } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { run, problems } from './helpers.js'

const FAILED = '_logship_processor_failure'

describe('dissect', () => {
  it('splits on the literal text between keys, into targetPrefix (dissect by default, "" for the top)', () => {
    const line = '1.2.3.4 - - [30/Apr/1998:22:00:52 +0000] "GET /a.gif HTTP/1.0" 200 3171'
    const tokenizer = '%{clientip} %{?ident} %{} [%{ts}] "%{verb} %{request} HTTP/%{httpversion}" %{status|integer} %{size|long}'
    expect(run([{ dissect: { tokenizer } }], { message: line })).toEqual({
      message: line,
      dissect: { clientip: '1.2.3.4', ts: '30/Apr/1998:22:00:52 +0000', verb: 'GET', request: '/a.gif', httpversion: '1.0', status: 200, size: 3171 },
    })
    expect(run([{ dissect: { tokenizer: '%{a} %{b.c}', targetPrefix: '', field: 'x' } }], { x: '1 2' })).toEqual({ x: '1 2', a: '1', b: { c: '2' } })
  })
  it('appends %{+key} with spaces, in /n order; %{key->} skips padding; %{*k} names the field %{&k} fills', () => {
    expect(run([{ dissect: { tokenizer: '%{+t/2} %{+t/1} %{a}', targetPrefix: '' } }], { message: 'b a c' })).toMatchObject({ t: 'a b', a: 'c' })
    expect(run([{ dissect: { tokenizer: '%{d} %{+d} %{level->} %{msg}', targetPrefix: '' } }], { message: '2026-01-01 10:00:00 INFO    started up' })).toMatchObject({
      d: '2026-01-01 10:00:00',
      level: 'INFO',
      msg: 'started up',
    })
    expect(run([{ dissect: { tokenizer: '%{*k}=%{&k}', targetPrefix: 'kv' } }], { message: 'user=alice' })).toMatchObject({ kv: { user: 'alice' } })
  })
  it('trims values when asked', () => {
    expect(run([{ dissect: { tokenizer: '%{a}|%{b}', trimValues: 'all', targetPrefix: '' } }], { message: ' x | y ' })).toMatchObject({ a: 'x', b: 'y' })
  })
  it('an event that does not match is tagged and left as it was; ignoreFailure leaves it untagged', () => {
    const out = run([{ dissect: { tokenizer: '[%{a}] %{b}' } }], { message: 'no brackets' }) as Record<string, any>
    expect(out).toEqual({ message: 'no brackets', tags: [FAILED], error: { message: 'processors[0] dissect: the tokenizer does not match message' } })
    expect(run([{ dissect: { tokenizer: '[%{a}] %{b}', ignoreFailure: true } }], { message: 'no brackets' })).toEqual({ message: 'no brackets' })
    expect((run([{ dissect: { tokenizer: '%{a|integer}' } }], { message: 'x' }) as Record<string, any>).tags).toEqual([FAILED])
  })
  it('does not replace existing keys unless overwriteKeys', () => {
    expect((run([{ dissect: { tokenizer: '%{message}', targetPrefix: '' } }], { message: 'x' }) as Record<string, any>).error.message).toMatch(/message already exists/)
    expect(run([{ dissect: { tokenizer: '%{message} %{n}', targetPrefix: '', overwriteKeys: true } }], { message: 'x 1' })).toEqual({ message: 'x', n: '1' })
  })
  it('refuses patterns that cannot work, at the tokenizer key', () => {
    expect(problems([{ dissect: { tokenizer: '%{a}%{b}' } }])[0]).toMatch(/^0\.dissect\.tokenizer: keys a and b have no text between them/)
    expect(problems([{ dissect: { tokenizer: 'no keys' } }])[0]).toMatch(/^0\.dissect\.tokenizer: expected at least one key/)
    expect(problems([{ dissect: { tokenizer: '%{&v}' } }])[0]).toMatch(/has no %\{\*v\}/)
    expect(problems([{ dissect: { tokenizer: '%{a|int}' } }])[0]).toMatch(/unknown conversion \|int/)
    expect(problems([{ dissect: { tokenizer: '%{a}', target_prefix: '' } }])[0]).toMatch(/^0\.dissect\.target_prefix: unknown key; did you mean "targetPrefix"\?/)
  })
})

// Values never hold a delimiter character: then formatting a record with a pattern and
// dissecting the text must give the record back, whatever the pattern's shape.
const value = fc.stringMatching(/^[a-z0-9._@/]{1,12}$/)
const delimiter = fc.stringMatching(/^[ ,;:|\-[\]"=<>]{1,3}$/)
const part = fc.record({ value, delimiter, padding: fc.boolean(), repeat: fc.integer({ min: 0, max: 3 }) })

describe('dissect round trip (property)', () => {
  test.prop([delimiter, fc.array(part, { minLength: 1, maxLength: 8 }), fc.boolean(), fc.constantFrom('', 'out')])(
    'dissect(format(record, pattern), pattern) gives the record back',
    (prefix, parts, trailing, targetPrefix) => {
      let tokenizer = prefix
      let text = prefix
      const record: Record<string, string> = {}
      parts.forEach((p, i) => {
        const last = i === parts.length - 1
        const name = `k${i}`
        record[name] = p.value
        const delim = last && !trailing ? '' : p.delimiter
        const pad = p.padding && delim !== ''
        tokenizer += `%{${name}${pad ? '->' : ''}}${delim}`
        text += p.value + delim + (pad ? delim.repeat(p.repeat) : '')
      })
      const out = run([{ dissect: { tokenizer, targetPrefix, field: 'line' } }], { line: text }) as Record<string, any>
      expect(out.tags).toBeUndefined()
      expect(targetPrefix === '' ? Object.fromEntries(Object.keys(record).map((k) => [k, out[k]])) : out.out).toEqual(record)
    },
  )
})
