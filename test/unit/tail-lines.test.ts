import { describe, it, expect } from 'vitest'
import { LineSplitter, type Encoding } from '../../src/tail/line-splitter.js'
import { Multiline, FLAG_MULTILINE, FLAG_TRUNCATED } from '../../src/tail/multiline.js'
import { escapeJsonBytes } from '../../src/tail/json-bytes.js'
import { DocumentBuilder } from '../../src/tail/document.js'
import { registerParser, createEntryParser } from '../../src/tail/parsers.js'
import { multilineSchema } from '../../src/config/schema.js'
import { VERSION } from '../../src/version.js'
import { readFileSync } from 'node:fs'

interface Line {
  text: string
  offset: number
  end: number
  truncated: boolean
}

/** Feeds `bytes` in pieces of `step` bytes; collects lines. */
function split(bytes: Buffer, step: number, max = 1 << 20, encoding: Encoding = 'utf8', flush = false): { lines: Line[]; safe: number } {
  const s = new LineSplitter(encoding, max)
  const lines: Line[] = []
  const sink = (buf: Buffer, from: number, to: number, offset: number, end: number, truncated: boolean): void => {
    lines.push({ text: buf.toString(encoding, from, to), offset, end, truncated })
  }
  for (let i = 0; i < bytes.length; i += step) {
    const { buffer, at } = s.readTarget(step)
    const n = bytes.copy(buffer, at, i, Math.min(bytes.length, i + step))
    s.commit(n, sink)
  }
  if (flush) s.flush(sink)
  return { lines, safe: s.safeOffset }
}

describe('LineSplitter', () => {
  const text = 'first\nsecond line\r\n\nthird é ü 日本\npartial'
  const bytes = Buffer.from(text)

  it('cuts lines the same way whatever the chunk boundaries', () => {
    const expected = split(bytes, bytes.length).lines
    expect(expected.map((l) => l.text)).toEqual(['first', 'second line', '', 'third é ü 日本'])
    expect(expected.map((l) => l.offset)).toEqual([0, 6, 19, 20])
    for (let step = 1; step <= bytes.length; step++) expect(split(bytes, step).lines, `step ${step}`).toEqual(expected)
  })

  it('keeps the unfinished line, and its start is the safe offset; flush ships it', () => {
    const { lines, safe } = split(bytes, 7)
    expect(safe).toBe(bytes.indexOf('partial'))
    expect(lines.at(-1)!.text).not.toBe('partial')
    expect(split(bytes, 7, 1 << 20, 'utf8', true).lines.at(-1)).toMatchObject({ text: 'partial', offset: safe, truncated: false })
  })

  it('skips a UTF-8 byte order mark at offset 0', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a\nb\n')])
    expect(split(withBom, 2).lines.map((l) => [l.text, l.offset])).toEqual([
      ['a', 3],
      ['b', 5],
    ])
  })

  it('cuts a line longer than maxLineBytes, flags it, skips its rest, and goes on with the next line', () => {
    const long = `${'x'.repeat(100)}\nshort\n${'y'.repeat(50)}\nend\n`
    for (const step of [1, 7, 64, 1000]) {
      const { lines } = split(Buffer.from(long), step, 20)
      expect(
        lines.map((l) => [l.text.length, l.truncated]),
        `step ${step}`,
      ).toEqual([
        [20, true],
        [5, false],
        [20, true],
        [3, false],
      ])
      expect(lines[1]!.offset).toBe(101)
    }
  })

  it('never cuts inside a UTF-8 sequence', () => {
    const { lines } = split(Buffer.from(`${'é'.repeat(10)}\n`), 3, 5)
    expect(lines[0]!.text).toBe('éé')
    expect(lines[0]!.truncated).toBe(true)
  })

  it('reads UTF-16LE (newline is 0A 00 at an even offset) and latin1', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('ä\u0a0a\nzwei\r\n', 'utf16le')])
    for (const step of [1, 2, 3, 5])
      expect(
        split(utf16, step, 1 << 20, 'utf16le').lines.map((l) => l.text),
        `step ${step}`,
      ).toEqual(['ä\u0a0a', 'zwei'])
    expect(split(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]), 2, 1 << 20, 'latin1').lines[0]!.text).toBe('café')
  })
})

describe('Multiline', () => {
  const collect = (config: Record<string, unknown>, lines: string[], maxBytes = 1 << 20) => {
    const m = new Multiline(multilineSchema.parse(config), maxBytes)
    const out: { text: string; offset: number; flags: number }[] = []
    const sink = (text: string, offset: number, _end: number, flags: number): void => void out.push({ text, offset, flags })
    let offset = 0
    for (const line of lines) {
      m.line(line, offset, offset + line.length + 1, false, sink, 0)
      offset += line.length + 1
    }
    return { m, out, sink }
  }

  it('joins Java stack traces (continuation lines match, match: after)', () => {
    const { m, out, sink } = collect({ pattern: '^\\s+(at |\\.\\.\\. )|^Caused by:' }, [
      '2026-11-24 ERROR boom',
      'java.lang.IllegalStateException: bad',
      '\tat a.b.C.d(C.java:10)',
      '\tat a.b.C.main(C.java:3)',
      'Caused by: java.io.IOException: disk',
      '\t... 2 more',
      '2026-11-24 INFO next',
    ])
    m.flush(sink)
    expect(out.map((e) => e.text.split('\n').length)).toEqual([1, 5, 1])
    expect(out[1]!.flags).toBe(FLAG_MULTILINE)
    expect(out[1]!.offset).toBe('2026-11-24 ERROR boom\n'.length)
  })

  it('starts an entry at each line matching the pattern (negate: true), e.g. MySQL slow-log entries', () => {
    const { m, out, sink } = collect({ pattern: '^# User@Host: ', negate: true }, [
      '# User@Host: root[root] @ localhost []  Id: 8',
      '# Query_time: 2.000  Lock_time: 0.000 Rows_sent: 1  Rows_examined: 0',
      'SET timestamp=1700000000;',
      'SELECT SLEEP(2);',
      '# User@Host: app[app] @ 10.0.0.1 []  Id: 9',
      'SELECT 1;',
    ])
    expect(m.pendingStart).toBeGreaterThan(0)
    m.flush(sink)
    expect(out.map((e) => e.text.split('\n').length)).toEqual([4, 2])
  })

  it('match: before joins lines ending in a backslash with the next one', () => {
    const { out } = collect({ pattern: '\\\\$', match: 'before' }, ['a \\', 'b \\', 'c', 'd'])
    expect(out.map((e) => e.text)).toEqual(['a \\\nb \\\nc', 'd'])
  })

  it('keeps at most maxLines lines and flags the entry truncated', () => {
    const { m, out, sink } = collect({ pattern: '^ ', maxLines: 3 }, ['head', ' 1', ' 2', ' 3', ' 4'])
    m.flush(sink)
    expect(out[0]!.text.split('\n')).toEqual(['head', ' 1', ' 2'])
    expect(out[0]!.flags & FLAG_TRUNCATED).toBe(FLAG_TRUNCATED)
  })

  it('ships a pending entry after timeoutMs without a new line', () => {
    const m = new Multiline(multilineSchema.parse({ pattern: '^ ', timeoutMs: 1000 }), 1 << 20)
    const out: string[] = []
    const sink = (text: string): void => void out.push(text)
    m.line('head', 0, 5, false, sink, 10_000)
    m.flushIfIdle(10_500, sink)
    expect(out).toEqual([])
    m.flushIfIdle(11_000, sink)
    expect(out).toEqual(['head'])
  })
})

describe('JSON from bytes', () => {
  it('escapes every byte exactly like JSON.stringify for valid UTF-8', () => {
    const text = `${Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join('')} é 日本 😀 "q" \\b`
    const src = Buffer.from(text)
    const dst = Buffer.alloc(src.length * 6)
    const n = escapeJsonBytes(src, 0, src.length, dst, 0)
    expect(dst.toString('utf8', 0, n)).toBe(JSON.stringify(text).slice(1, -1))
  })

  it('builds the same document from bytes as from the string', () => {
    const b = new DocumentBuilder({ inputType: 'file', hostName: 'h', fields: { env: 'prod', service: { name: 'web' } } })
    b.setPath('/var/log/a "b".log')
    const line = Buffer.from('x 1.2.3.4 "GET / HTTP/1.1" \t é')
    for (const flags of [0, 1, 2, 3]) {
      const fromBytes = b.encode(line, 0, line.length, 42, flags, '2026-11-24T00:00:00.000Z').toString()
      expect(fromBytes).toBe(b.build(line.toString(), 42, flags, '2026-11-24T00:00:00.000Z'))
    }
    expect(JSON.parse(b.build('m', 7, 3, '2026-11-24T00:00:00.000Z')!)).toEqual({
      '@timestamp': '2026-11-24T00:00:00.000Z',
      message: 'm',
      log: { offset: 7, file: { path: '/var/log/a "b".log' }, flags: ['multiline', 'truncated'] },
      input: { type: 'file' },
      host: { name: 'h' },
      agent: { type: 'logship', version: VERSION },
      ecs: { version: '8.11.0' },
      env: 'prod',
      service: { name: 'web' },
    })
  })

  it('merges fields that touch the document keys under the document, and parser fields over it', () => {
    registerParser('test.kv', () => (text) => ({
      '@timestamp': '2020-01-01T00:00:00.000Z',
      http: { response: { status_code: Number(text.split(' ')[1]) } },
      host: { ip: '10.0.0.1' },
    }))
    const b = new DocumentBuilder({ inputType: 'file', hostName: 'h', fields: { host: { name: 'not me', role: 'edge' } }, parser: createEntryParser('test.kv', {}) })
    expect(b.encodesBytes).toBe(false)
    const doc = JSON.parse(b.build('GET 404', 0, 0, '2026-11-24T00:00:00.000Z')!)
    expect(doc['@timestamp']).toBe('2020-01-01T00:00:00.000Z')
    expect(doc.host).toEqual({ name: 'h', role: 'edge', ip: '10.0.0.1' })
    expect(doc.http.response.status_code).toBe(404)
    expect(() => createEntryParser('nope', {})).toThrow(/unknown parser "nope"/)
  })

  it('VERSION matches package.json', () => {
    expect(VERSION).toBe(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version)
  })
})
