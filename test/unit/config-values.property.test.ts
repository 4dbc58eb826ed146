import { describe, expect } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { expandString } from '../../src/config/env.js'
import { parseSize } from '../../src/options/size.js'

const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/)
/** Text with no `$` in it: never a reference. */
const literal = fc.string({ maxLength: 12 }).map((s) => s.replaceAll('$', ''))
const value = fc.string({ maxLength: 12 })

type Piece = { kind: 'text'; text: string } | { kind: 'ref'; name: string; fallback: string | undefined } | { kind: 'escape' }

const piece: fc.Arbitrary<Piece> = fc.oneof(
  literal.map((text) => ({ kind: 'text' as const, text })),
  fc
    .tuple(
      name,
      fc.option(
        literal.map((s) => s.replaceAll('}', '')),
        { nil: undefined },
      ),
    )
    .map(([n, fallback]) => ({ kind: 'ref' as const, name: n, fallback })),
  fc.constant({ kind: 'escape' as const }),
)

function render(pieces: Piece[]): string {
  return pieces.map((p) => (p.kind === 'text' ? p.text : p.kind === 'escape' ? '$${' : `\${${p.name}${p.fallback === undefined ? '' : `:-${p.fallback}`}}`)).join('')
}

describe('configuration values (properties)', () => {
  test.prop([fc.array(piece, { maxLength: 8 }), fc.dictionary(name, value)])(
    '${NAME} expansion: set values, then defaults, then empty; $${ is a literal; unset names without a default are reported',
    (pieces, env) => {
      const missing: string[] = []
      // a text piece that ends in `$` followed by an escape would form `$$${`; keep pieces apart
      const text = render(pieces)
      const got = expandString(text, env, (n) => missing.push(n))
      const expected = pieces
        .map((p) => {
          if (p.kind === 'text') return p.text
          if (p.kind === 'escape') return '${'
          const v = Object.hasOwn(env, p.name) ? env[p.name] : undefined
          if (v !== undefined && v !== '') return v
          return p.fallback ?? ''
        })
        .join('')
      expect(got).toBe(expected)
      expect(missing).toEqual(pieces.filter((p) => p.kind === 'ref' && p.fallback === undefined && !Object.hasOwn(env, p.name)).map((p) => (p as { name: string }).name))
    },
  )

  const units: [string, number][] = [
    ['', 1],
    ['b', 1],
    ['kb', 1024],
    ['KiB', 1024],
    ['mb', 1024 ** 2],
    ['MB', 1024 ** 2],
    ['gb', 1024 ** 3],
    ['GiB', 1024 ** 3],
  ]
  test.prop([fc.nat({ max: 1_000_000 }), fc.constantFrom(...units), fc.constantFrom('', ' ')])(
    'byte sizes: N<unit> is N times the binary unit, with or without a space',
    (n, [unit, factor], space) => {
      expect(parseSize(`${n}${space}${unit}`)).toBe(n * factor)
      expect(parseSize(n)).toBe(n)
    },
  )

  test.prop([fc.string({ maxLength: 10 }).filter((s) => !/^\s*\d+(\.\d+)?\s*(b|kb|kib|mb|mib|gb|gib)?\s*$/i.test(s))])('anything else is not a size', (text) => {
    expect(parseSize(text)).toBeUndefined()
  })
})
