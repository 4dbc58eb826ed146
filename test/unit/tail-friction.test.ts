import { describe, it, expect } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { binaryReason } from '../../src/tail/binary.js'
import { createJsonParser } from '../../src/tail/json-parser.js'
import { parseConfigText, ConfigError } from '../../src/config/index.js'

function problems(yaml: string): string {
  try {
    parseConfigText(yaml, 'logship.yml', { env: {} })
  } catch (err) {
    if (err instanceof ConfigError) return err.message
    throw err
  }
  return ''
}

describe('binary detection', () => {
  it('takes an nginx error log with a TLS probe in its first KiB for text', () => {
    const line = Buffer.concat([
      Buffer.from('2026/11/24 12:00:00 [info] 12#12: *1 client sent invalid request while reading client request line, client: 127.0.0.1, request: "'),
      Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05]),
      Buffer.from('hello"\n'),
    ])
    const head = Buffer.concat([line, Buffer.from('2026/11/24 12:00:01 [info] 12#12: *2 client closed connection\n'.repeat(20))])
    expect(binaryReason(head, 'utf8')).toBeUndefined()
  })

  it('knows compressed files and executables by their signature', () => {
    expect(binaryReason(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x41, 0x0a]), 'utf8')).toMatch(/gzip signature/)
    expect(binaryReason(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01]), 'utf8')).toMatch(/ELF/)
  })

  it('says UTF-16 text needs encoding: utf16le', () => {
    expect(binaryReason(Buffer.from('hello world, this is UTF-16\n'.repeat(4), 'utf16le'), 'utf8')).toMatch(/utf16le/)
    expect(binaryReason(Buffer.from('hello world\n'.repeat(4), 'utf16le'), 'utf16le')).toBeUndefined()
  })

  test.prop([fc.array(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 120 }), { minLength: 1, maxLength: 60 }), fc.nat({ max: 3 })])(
    'text lines with a few control bytes are text',
    (lines, controls) => {
      const text = Buffer.from(lines.map((l) => `${l}\n`).join(''))
      const withControls = Buffer.concat([text, Buffer.from(Array.from({ length: controls }, () => 0))])
      fc.pre(withControls.length >= 40 && !withControls.subarray(0, 8).equals(Buffer.from('LPKSHHRH')))
      expect(binaryReason(withControls, 'utf8')).toBeUndefined()
    },
  )
})

describe('parser: json maps what JSON loggers write to ECS', () => {
  const parse = createJsonParser()
  it('pino: numeric level, err, epoch time', () => {
    const doc = parse(JSON.stringify({ level: 50, time: 1764676800000, msg: 'it failed', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at x' } }))
    expect(doc).toMatchObject({
      message: 'it failed',
      log: { level: 'error' },
      error: { type: 'Error', message: 'boom', stack_trace: 'Error: boom\n    at x' },
      '@timestamp': '2025-12-02T12:00:00.000Z',
    })
  })
  it('winston: level name, timestamp, stack', () => {
    const doc = parse(JSON.stringify({ level: 'WARN', message: 'slow', timestamp: '2026-11-24T12:00:00.000Z', stack: 'Error: x' }))
    expect(doc).toMatchObject({ log: { level: 'warn' }, '@timestamp': '2026-11-24T12:00:00.000Z', error: { stack_trace: 'Error: x' } })
  })
  it('bunyan: numeric level and ISO time', () => {
    expect(parse(JSON.stringify({ level: 30, time: '2026-11-24T12:00:00.000Z', msg: 'hi' }))).toMatchObject({ log: { level: 'info' }, '@timestamp': '2026-11-24T12:00:00.000Z' })
  })
  it('an @timestamp that is not a date is left out and tagged', () => {
    const doc = parse(JSON.stringify({ '@timestamp': 'not-a-date', message: 'x' }))
    expect(doc['@timestamp']).toBeUndefined()
    expect(doc).toMatchObject({ tags: ['_logship_invalid_timestamp'], event: { original_timestamp: 'not-a-date' } })
  })
})

describe('config friction', () => {
  const base = (input: string) => `inputs:\n  - type: file\n    paths: ['/var/log/app/*.log']\n${input}output: { type: file, path: ./out.ndjson }\n`

  it('names the logship key for Filebeat names and near misses', () => {
    expect(problems(base("    exclude_files: ['\\.gz$']\n"))).toMatch(/unknown key "exclude_files".*did you mean "excludeFiles"\?/)
    expect(problems(base('    close_inactive: 5m\n'))).toMatch(/did you mean "closeInactiveMs"\? \(a duration such as 5m\)/)
    expect(problems(base('    closeInactive: 5m\n'))).toMatch(/did you mean "closeInactiveMs"\?/)
    expect(problems(base('    harvesterLimt: 10\n'))).toMatch(/did you mean "harvesterLimit"\?/)
    expect(problems(`${base('')}registry: { file: x }\n`)).toMatch(/unknown key "file"/)
  })

  it('takes durations as strings wherever a duration is configured', () => {
    const config = parseConfigText(
      `${base('    closeInactiveMs: 5m\n    scanIntervalMs: 250ms\n    ignoreOlderMs: 24h\n    multiline: { pattern: x, timeoutMs: 2s }\n')}registry: { flushMs: 1s }\nshutdownTimeoutMs: 30s\n`,
      'logship.yml',
      { env: {} },
    )
    const input = config.inputs[0]!
    expect(input.type === 'file' && [input.closeInactiveMs, input.scanIntervalMs, input.ignoreOlderMs, input.multiline?.timeoutMs]).toEqual([300_000, 250, 86_400_000, 2000])
    expect([config.registry.flushMs, config.shutdownTimeoutMs]).toEqual([1000, 30_000])
    expect(problems(base('    closeInactiveMs: 5 minutes\n'))).toMatch(/closeInactiveMs as whole milliseconds or a duration such as 250ms, 30s, 5m, 1h/)
  })
})
