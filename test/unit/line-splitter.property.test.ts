import { describe, expect } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { LineSplitter, type Encoding } from '../../src/tail/line-splitter.js'

interface Line {
  text: string
  offset: number
  end: number
  truncated: boolean
}

/** Feeds `bytes` to a splitter in pieces cut at `cuts`, then flushes. */
function split(bytes: Buffer, encoding: Encoding, max: number, cuts: number[]): Line[] {
  const splitter = new LineSplitter(encoding, max)
  const out: Line[] = []
  const sink = (buf: Buffer, from: number, to: number, offset: number, end: number, truncated: boolean): void => {
    out.push({ text: buf.toString(encoding, from, to), offset, end, truncated })
  }
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
  let at = 0
  for (const point of [...points, bytes.length]) {
    if (point <= at) continue
    const { buffer, at: target } = splitter.readTarget(point - at)
    bytes.copy(buffer, target, at, point)
    splitter.commit(point - at, sink)
    at = point
  }
  splitter.flush(sink)
  return out
}

/** The reference: lines as a reader of the whole file sees them. */
function reference(lines: string[], endings: string[], encoding: Encoding): { text: string; offset: number; end: number }[] {
  const out: { text: string; offset: number; end: number }[] = []
  let offset = 0
  lines.forEach((text, i) => {
    const length = Buffer.byteLength(text + endings[i]!, encoding)
    out.push({ text, offset, end: offset + length })
    offset += length
  })
  return out
}

const lineText = (encoding: Encoding) =>
  encoding === 'latin1'
    ? fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 40 })
    : fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => s.replace(/[\r\n\u2028\u2029]/g, ''))

const document = (encoding: Encoding) =>
  fc
    .array(fc.tuple(lineText(encoding), fc.constantFrom('\n', '\r\n')), { minLength: 1, maxLength: 25 })
    .chain((pairs) => fc.tuple(fc.constant(pairs), fc.boolean()))
    .map(([pairs, lastUnterminated]) => {
      const lines = pairs.map((p) => p[0])
      const endings: string[] = pairs.map((p) => p[1])
      if (lastUnterminated) endings[endings.length - 1] = ''
      return { lines, endings }
    })

const cuts = fc.array(fc.nat(), { maxLength: 30 })

describe('tail line splitter (properties)', () => {
  for (const encoding of ['utf8', 'latin1', 'utf16le'] as const) {
    test.prop([document(encoding), cuts])(`${encoding}: any chunking of the same bytes gives the same lines at the same offsets`, ({ lines, endings }, at) => {
      const bytes = Buffer.from(lines.map((l, i) => l + endings[i]).join(''), encoding)
      const expected = reference(lines, endings, encoding).filter((l, i) => !(i === lines.length - 1 && endings[i] === '' && l.text === ''))
      const got = split(bytes, encoding, 1 << 20, at)
      expect(got).toEqual(expected.map((l) => ({ ...l, truncated: false })))
    })
  }

  test.prop([
    fc.array(
      fc.string({ unit: 'grapheme', maxLength: 60 }).map((s) => s.replace(/[\r\n\u2028\u2029]/g, '')),
      { minLength: 1, maxLength: 10 },
    ),
    fc.integer({ min: 8, max: 40 }),
    fc.constantFrom('\n', '\r\n'),
    cuts,
  ])('utf8: an over-long line ships its head cut at maxLineBytes on a character boundary, flagged, and the lines after it are intact', (lines, max, ending, at) => {
    const bytes = Buffer.from(lines.map((l) => `${l}${ending}`).join(''))
    const got = split(bytes, 'utf8', max, at)
    expect(got.map((l) => l.offset)).toEqual(
      reference(
        lines,
        lines.map(() => ending),
        'utf8',
      ).map((l) => l.offset),
    )
    got.forEach((line, i) => {
      const full = lines[i]!
      const long = Buffer.byteLength(full) > max
      expect(line.truncated).toBe(long)
      expect(Buffer.byteLength(line.text)).toBeLessThanOrEqual(max)
      expect(full.startsWith(line.text)).toBe(true)
      if (!long) expect(line.text).toBe(full)
      // the cut keeps as much as fits: the next character would not have fitted
      else expect(Buffer.byteLength(line.text) + Buffer.byteLength(String.fromCodePoint(full.codePointAt(line.text.length)!))).toBeGreaterThan(max)
    })
  })

  test.prop([fc.integer({ min: 4, max: 16 }), fc.array(fc.integer({ min: -2, max: 2 }), { minLength: 1, maxLength: 8 }), fc.constantFrom('\n', '\r\n'), cuts])(
    'a line of exactly maxLineBytes is never flagged truncated, whatever its line end and wherever the reads are cut',
    (max, deltas, ending, at) => {
      const lines = deltas.map((d, i) => String.fromCharCode(97 + (i % 26)).repeat(max + d))
      const got = split(Buffer.from(lines.map((l) => l + ending).join('')), 'utf8', max, at)
      expect(got.map((l) => [l.text, l.truncated])).toEqual(lines.map((l) => [l.slice(0, max), l.length > max]))
      got.forEach((l, i) => {
        if (!l.truncated) expect(l.end - l.offset).toBe(Buffer.byteLength(lines[i]! + ending))
      })
    },
  )
})
