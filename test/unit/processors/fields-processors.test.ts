import { describe, it, expect } from 'vitest'
import { run, problems } from './helpers.js'

const FAILED = '_logship_processor_failure'

describe('add_fields', () => {
  it('adds under fields by default, at the top with target "", merging objects; each event gets its own copy', () => {
    expect(run([{ add_fields: { fields: { env: 'prod', team: { name: 'web' } } } }], { message: 'm' })).toEqual({ message: 'm', fields: { env: 'prod', team: { name: 'web' } } })
    expect(run([{ add_fields: { target: '', fields: { host: { region: 'eu' } } } }], { host: { name: 'a' } })).toEqual({ host: { name: 'a', region: 'eu' } })
    expect(run([{ add_fields: { target: 'project', fields: { id: 7 } } }, { rename: { fields: [{ from: 'project.id', to: 'project.key' }] } }], {})).toEqual({
      project: { key: 7 },
    })
  })
  it('fails (tags) when the target is not an object', () => {
    const out = run([{ add_fields: { target: 'message', fields: { a: 1 } } }], { message: 'x' }) as Record<string, any>
    expect(out.tags).toEqual([FAILED])
    expect(out.error.message).toBe('processors[0] add_fields: message is not an object')
  })
})

describe('drop_fields and include_fields', () => {
  it('drops nested and top-level fields; a missing one fails unless ignoreMissing', () => {
    expect(run([{ drop_fields: { fields: ['agent', 'log.offset'] } }], { agent: {}, log: { offset: 1, file: 'f' }, m: 1 })).toEqual({ log: { file: 'f' }, m: 1 })
    const out = run([{ drop_fields: { fields: ['nope', 'm'] } }], { m: 1 }) as Record<string, any>
    expect(out.tags).toEqual([FAILED])
    expect(run([{ drop_fields: { fields: ['nope', 'm'], ignoreMissing: true } }], { m: 1 })).toEqual({})
  })
  it('refuses to drop @timestamp and regular expressions, naming the key', () => {
    expect(problems([{ drop_fields: { fields: ['@timestamp'] } }])).toEqual(['0.drop_fields.fields: @timestamp cannot be dropped (every document needs one)'])
    expect(problems([{ drop_fields: { fields: ['/^x/'] } }])[0]).toMatch(/^0\.drop_fields\.fields: regular expressions/)
  })
  it('include_fields keeps only the listed fields, @timestamp and @metadata', () => {
    const event = { '@metadata': { _id: 'x' }, '@timestamp': 't', message: 'm', http: { request: { method: 'GET' }, version: '1.1' }, agent: {} }
    expect(run([{ include_fields: { fields: ['http.request', 'missing'] } }], event)).toEqual({
      '@metadata': { _id: 'x' },
      '@timestamp': 't',
      http: { request: { method: 'GET' } },
    })
  })
})

describe('rename and copy_fields', () => {
  it('moves and copies values, nested paths included', () => {
    expect(run([{ rename: { fields: [{ from: 'a.b', to: 'c' }] } }], { a: { b: 1 } })).toEqual({ a: {}, c: 1 })
    const copied = run([{ copy_fields: { fields: [{ from: 'a', to: 'x.y' }] } }], { a: { deep: [1] } }) as Record<string, any>
    expect(copied).toEqual({ a: { deep: [1] }, x: { y: { deep: [1] } } })
    expect(copied.x.y).not.toBe(copied.a)
  })
  it('a missing source or an existing target fails and undoes the processor; failOnError: false skips that pair', () => {
    const out = run(
      [
        {
          rename: {
            fields: [
              { from: 'a', to: 'b' },
              { from: 'c', to: 'd' },
            ],
          },
        },
      ],
      { a: 1, c: 2, d: 3 },
    ) as Record<string, any>
    expect(out).toMatchObject({ a: 1, c: 2, d: 3, tags: [FAILED] })
    expect(out).not.toHaveProperty('b')
    expect(out.error.message).toBe('processors[0] rename: field d already exists')
    expect(
      run(
        [
          {
            rename: {
              fields: [
                { from: 'a', to: 'b' },
                { from: 'c', to: 'd' },
              ],
              failOnError: false,
            },
          },
        ],
        { a: 1, c: 2, d: 3 },
      ),
    ).toEqual({ b: 1, c: 2, d: 3 })
    expect(run([{ copy_fields: { fields: [{ from: 'nope', to: 'b' }], ignoreMissing: true } }], { a: 1 })).toEqual({ a: 1 })
  })
})

describe('drop_event', () => {
  it('drops events its condition matches (every event without one) and stops the chain', () => {
    const list = [{ drop_event: { when: { equals: { level: 'debug' } } } }, { add_fields: { target: '', fields: { kept: true } } }]
    expect(run(list, { level: 'debug' })).toBe('dropped')
    expect(run(list, { level: 'info' })).toEqual({ level: 'info', kept: true })
    expect(run([{ drop_event: {} }], { a: 1 })).toBe('dropped')
  })
})

describe('every processor takes when', () => {
  it('runs only on events its condition matches', () => {
    const list = [{ add_fields: { target: '', fields: { slow: true }, when: { range: { ms: { gte: 1000 } } } } }]
    expect(run(list, { ms: 1500 })).toEqual({ ms: 1500, slow: true })
    expect(run(list, { ms: 10 })).toEqual({ ms: 10 })
  })
})

describe('config problems', () => {
  it('name the index, the processor and the key, with near misses', () => {
    expect(problems([{ add_fields: { fields: { a: 1 } } }, { rename: { fields: [{ from: 'a' }], fail_on_error: true } }])).toEqual([
      '1.rename.fields.0.to: expected a field name',
      '1.rename.fail_on_error: unknown key; did you mean "failOnError"? (keys are camelCase)',
    ])
    expect(problems([{ drop_feilds: {} }])[0]).toMatch(/^0\.drop_feilds: unknown processor; did you mean "drop_fields"\?/)
    expect(problems([{ add_fields: {}, rename: {} }])[0]).toMatch(/^0: expected one processor/)
    expect(problems(['drop_event'])[0]).toMatch(/^0: expected one processor/)
    expect(problems([{ drop_event: { when: { equals: { a: 1 }, contains: { b: 'x' } } } }])[0]).toMatch(/^0\.drop_event\.when: expected exactly one condition/)
    expect(problems([{ drop_event: { when: { or: [{ equals: { a: 1 } }, { regex: { b: 'x' } }] } } }])).toEqual([
      '0.drop_event.when.or.1.regex: unknown condition; expected one of equals, contains, regexp, range, has_fields, and, or, not',
    ])
  })
})
