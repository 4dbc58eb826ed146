import { describe, expect, it } from 'vitest'
import { ActionLines, buildBulkBody } from '../../src/outputs/elasticsearch/bulk-body.js'
import { classifyBulkReply, classifyRequestFailure } from '../../src/outputs/elasticsearch/bulk-response.js'
import { IndexNamer, hourOf, parseIndexTemplate } from '../../src/outputs/elasticsearch/index-name.js'
import { withTimestamp } from '../../src/outputs/elasticsearch/timestamp.js'
import { authorizationHeader, resolveEndpoints } from '../../src/outputs/elasticsearch/endpoints.js'
import { decodeCloudId } from '../../src/outputs/elasticsearch/cloud-id.js'
import { judgeServerInfo } from '../../src/outputs/elasticsearch/version-check.js'
import { deadLetterDocument } from '../../src/outputs/elasticsearch/dead-letter-doc.js'
import { filterByPath } from '../helpers/fake-elasticsearch.js'

const b = (s: string): Buffer => Buffer.from(s)

describe('bulk body', () => {
  it('is action line + record + newline per record, records copied byte for byte', () => {
    const records = [b('{"a":1}'), b('{"msg":"h\\u00e9 ✓"}')]
    const body = buildBulkBody(records, new ActionLines('index'), { indexOf: () => 'logs-x' })
    expect(body.toString()).toBe('{"index":{"_index":"logs-x"}}\n{"a":1}\n{"index":{"_index":"logs-x"}}\n{"msg":"h\\u00e9 ✓"}\n')
  })

  it('uses short action lines when the URL names the index, and writes ids for create', () => {
    const body = buildBulkBody([b('{"a":1}'), b('{"a":2}')], new ActionLines('create'), { indexOf: () => undefined, idOf: (i) => `s1-${i}` })
    expect(body.toString()).toBe('{"create":{"_id":"s1-0"}}\n{"a":1}\n{"create":{"_id":"s1-1"}}\n{"a":2}\n')
  })

  it('escapes ids that need it and flattens raw newlines inside a record', () => {
    const body = buildBulkBody([b('{"a":\n1}')], new ActionLines('create'), { indexOf: () => 'i', idOf: () => 'a"b' })
    expect(body.toString()).toBe('{"create":{"_index":"i","_id":"a\\"b"}}\n{"a": 1}\n')
    expect(
      body
        .toString()
        .split('\n')
        .map((l) => l && JSON.parse(l)),
    ).toHaveLength(3)
  })
})

describe('bulk reply classification', () => {
  const context = { name: 'es', count: 5, ownIds: true }
  it('errors:false is delivered without reading items', () => {
    expect(classifyBulkReply(context, '{"errors":false,"items":[]}')).toEqual({ status: 'delivered' })
    expect(classifyBulkReply(context, '{"took":12,"errors":false,"items":[{"index":{"status":201}}]}')).toEqual({ status: 'delivered' })
  })

  it('sorts items: ok, 409 with own ids ok, 429/5xx retried alone, other 4xx rejected with type and reason', () => {
    const reply = JSON.stringify({
      errors: true,
      items: [
        { create: { status: 201 } },
        { create: { status: 409, error: { type: 'version_conflict_engine_exception', reason: 'exists' } } },
        { create: { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'busy' } } },
        {
          create: {
            status: 400,
            error: { type: 'document_parsing_exception', reason: 'failed to parse field [n]', caused_by: { type: 'illegal_argument_exception', reason: 'For input string: "x"' } },
          },
        },
        { create: { status: 503, error: { type: 'unavailable_shards_exception', reason: 'primary shard is not active' } } },
      ],
    })
    expect(classifyBulkReply(context, reply)).toEqual({
      status: 'partial',
      retry: [2, 4],
      rejected: [{ index: 3, status: 400, reason: 'document_parsing_exception: failed to parse field [n] (caused by illegal_argument_exception: For input string: "x")' }],
    })
  })

  it('a 409 is a rejection when Elasticsearch chose the ids', () => {
    const reply = '{"errors":true,"items":[{"create":{"status":409,"error":{"type":"version_conflict_engine_exception","reason":"exists"}}}]}'
    const result = classifyBulkReply({ name: 'es', count: 1, ownIds: false }, reply)
    expect(result).toEqual({ status: 'partial', retry: [], rejected: [{ index: 0, status: 409, reason: 'version_conflict_engine_exception: exists' }] })
  })

  it('a reply that does not match the request is retried, not trusted', () => {
    expect(classifyBulkReply(context, '{"errors":true,"items":[{"index":{"status":201}}]}').status).toBe('retryable')
    expect(classifyBulkReply(context, '<html>').status).toBe('retryable')
  })

  it('whole-request statuses', () => {
    const c = { name: 'es', count: 2, ownIds: false }
    expect(classifyRequestFailure(c, 413, '')).toEqual({ status: 'too-large' })
    const busy = classifyRequestFailure(c, 429, '{"error":{"type":"es_rejected_execution_exception","reason":"busy"},"status":429}', 2000)
    expect(busy).toMatchObject({ status: 'retryable', retryAfterMs: 2000 })
    expect(busy.status === 'retryable' && busy.error.message).toContain('es_rejected_execution_exception: busy')
    for (const s of [502, 503, 504, 500]) expect(classifyRequestFailure(c, s, '').status).toBe('retryable')
    const denied = classifyRequestFailure(c, 401, '{"error":{"type":"security_exception","reason":"unable to authenticate"}}')
    expect(denied.status === 'fatal' && denied.error.message).toMatch(/refused the credentials.*check the output's auth/)
    expect(classifyRequestFailure(c, 403, '').status).toBe('fatal')
    // a whole body refused with 400: malformed, the engine bisects to find the records to blame
    expect(classifyRequestFailure(c, 400, '{"error":{"type":"illegal_argument_exception","reason":"bad"}}')).toEqual({
      status: 'malformed',
      reason: 'HTTP 400: illegal_argument_exception: bad',
      sinkStatus: 400,
    })
    expect(classifyRequestFailure(c, 409, '{"error":{"type":"version_conflict","reason":"bad"}}')).toEqual({
      status: 'partial',
      retry: [],
      rejected: [0, 1].map((index) => ({ index, status: 409, reason: 'version_conflict: bad' })),
    })
  })
})

describe('index date placeholders', () => {
  it('fills yyyy.MM.dd from @timestamp (UTC), found by a byte scan', () => {
    const namer = new IndexNamer(parseIndexTemplate('logs-app-%{+yyyy.MM.dd}'))
    expect(namer.nameFor(b('{"@timestamp":"2024-02-29T23:59:59.123Z","a":1}'), 0)).toBe('logs-app-2024.02.29')
    expect(namer.nameFor(b('{"a":{"@timestamp" : "2023-01-05T01:00:00Z"}}'), 0)).toBe('logs-app-2023.01.05')
    // an offset moves the day; epoch milliseconds work too
    expect(namer.nameFor(b('{"@timestamp":"2024-03-01T01:00:00+02:00"}'), 0)).toBe('logs-app-2024.02.29')
    expect(namer.nameFor(b('{"@timestamp":1700000000000}'), 0)).toBe('logs-app-2023.11.14')
    // no usable @timestamp: the time it is sent
    expect(namer.nameFor(b('{"msg":"\\"@timestamp\\":\\"1999-01-01T00:00:00Z\\""}'), Date.UTC(2025, 6, 4))).toBe('logs-app-2025.07.04')
  })

  it('supports yy and HH and literal text, and names what it cannot do', () => {
    expect(new IndexNamer(parseIndexTemplate('x-%{+yy-MM}-h%{+HH}')).nameAt(Date.UTC(2024, 0, 2, 7))).toBe('x-24-01-h07')
    expect(parseIndexTemplate('plain').problem).toBeUndefined()
    expect(parseIndexTemplate('logs-%{+yyyy.ww}').problem).toMatch(/unknown date field at "ww"/)
    expect(parseIndexTemplate('logs-%{[host]}').problem).toMatch(/only date placeholders/)
    expect(hourOf(b('{"@timestamp":"garbage"}'))).toBeUndefined()
  })
})

describe('@timestamp from a numeric time', () => {
  it('splices @timestamp after the brace, leaving the rest byte for byte', () => {
    const pino = b('{"level":30,"time":1700000000123,"pid":1,"msg":"hi"}')
    expect(withTimestamp(pino).toString()).toBe('{"@timestamp":"2023-11-14T22:13:20.123Z","level":30,"time":1700000000123,"pid":1,"msg":"hi"}')
  })

  it('leaves records alone that have @timestamp, a nested time only, or a time that is no time', () => {
    for (const text of ['{"@timestamp":"x","time":1}', '{"a":{"time":1700000000123}}', '{"s":"\\"time\\":1700000000123","time":"soon"}', '{"time":true}']) {
      expect(withTimestamp(b(text)).toString()).toBe(text)
    }
    expect(withTimestamp(b('{"a":[{"time":1}],"time":"2024-01-01T00:00:00Z"}')).toString()).toBe(
      '{"@timestamp":"2024-01-01T00:00:00Z","a":[{"time":1}],"time":"2024-01-01T00:00:00Z"}',
    )
  })
})

describe('endpoints and credentials', () => {
  it('decodes an Elastic Cloud ID', () => {
    const id = `my-deployment:${Buffer.from('eu-west-1.aws.found.io:9243$abc123$kib456').toString('base64')}`
    expect(decodeCloudId(id)).toBe('https://abc123.eu-west-1.aws.found.io:9243')
    expect(decodeCloudId(`x:${Buffer.from('us.es.io$def').toString('base64')}`)).toBe('https://def.us.es.io')
    expect(() => decodeCloudId('nonsense')).toThrow(/not a valid Elastic Cloud ID/)
  })

  it('builds Authorization headers and keeps credentials out of labels', () => {
    expect(authorizationHeader({ username: 'elastic', password: 'pw' })).toBe(`Basic ${Buffer.from('elastic:pw').toString('base64')}`)
    expect(authorizationHeader({ apiKey: 'id:key' })).toBe(`ApiKey ${Buffer.from('id:key').toString('base64')}`)
    expect(authorizationHeader({ apiKey: 'ZW5jb2RlZA==' })).toBe('ApiKey ZW5jb2RlZA==')
    expect(authorizationHeader({ bearer: 'tok' })).toBe('Bearer tok')
    const [endpoint] = resolveEndpoints({ hosts: ['http://u:p%40ss@127.0.0.1:9200/es/'] })
    expect(endpoint).toEqual({
      origin: 'http://127.0.0.1:9200',
      basePath: '/es',
      label: 'http://127.0.0.1:9200/es',
      urlAuthorization: `Basic ${Buffer.from('u:p@ss').toString('base64')}`,
    })
  })
})

describe('version check', () => {
  const info = (number: string) => JSON.stringify({ version: { number }, tagline: 'You Know, for Search' })
  it('accepts Elasticsearch 7 and newer', () => {
    expect(judgeServerInfo(200, 'Elasticsearch', info('8.15.0'))).toMatchObject({ ok: true, major: 8 })
    expect(judgeServerInfo(200, undefined, info('7.10.2'))).toMatchObject({ ok: true, major: 7 })
  })
  it('refuses old majors and servers that are not Elasticsearch, in plain words', () => {
    expect(judgeServerInfo(200, undefined, info('6.8.23'))).toEqual({
      ok: false,
      fatal: true,
      message: 'Elasticsearch 6.8.23 is not supported; logship needs Elasticsearch 7.x or newer',
    })
    expect(judgeServerInfo(200, undefined, '<html>It works!</html>')).toMatchObject({ ok: false, fatal: true, message: expect.stringMatching(/not an Elasticsearch server/) })
    expect(judgeServerInfo(200, undefined, '{"hello":"world"}')).toMatchObject({ ok: false, fatal: true })
    expect(judgeServerInfo(200, undefined, info('8.1.0'))).toMatchObject({ ok: false, fatal: true, message: expect.stringMatching(/X-Elastic-Product/) })
    expect(judgeServerInfo(401, undefined, '')).toMatchObject({ ok: false, fatal: true, message: expect.stringMatching(/credentials/) })
    expect(judgeServerInfo(503, undefined, '')).toMatchObject({ ok: false, fatal: false })
  })
})

describe('dead-letter document and the fake server filter_path', () => {
  it('holds the original event as a string with type, reason, status and time', () => {
    const doc = JSON.parse(
      deadLetterDocument({ record: b('{"bad":"x"}'), reason: 'document_parsing_exception: failed to parse', status: 400 }, 'es', Date.UTC(2024, 0, 1)).toString(),
    )
    expect(doc).toEqual({
      '@timestamp': '2024-01-01T00:00:00.000Z',
      event: { original: '{"bad":"x"}' },
      error: { type: 'document_parsing_exception', message: 'failed to parse', code: '400' },
      logship: { output: 'es' },
    })
  })

  it('filter_path keeps only the matching paths, like Elasticsearch', () => {
    const reply = { took: 3, errors: true, items: [{ create: { _id: 'a', status: 201 } }, { create: { _id: 'b', status: 400, error: { type: 't' } } }] }
    expect(filterByPath(reply, 'errors,items.*.error,items.*.status')).toEqual({
      errors: true,
      items: [{ create: { status: 201 } }, { create: { status: 400, error: { type: 't' } } }],
    })
  })
})
