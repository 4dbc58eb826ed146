import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createParser, MODULES, PARSE_FAILURE_TAG, type FilesetDefinition, type ParserName } from '../src/tail/modules/index.js'
import { flatten, splitEntries } from './helpers/entries.js'

/**
 * Real-world log shapes for every fileset (test/fixtures/modules/<module>-<fileset>.log),
 * read into entries with the catalogue's own multiline settings, parsed, and compared field
 * by field with the hand-written expectations next to them.
 */
const dir = join(import.meta.dirname, 'fixtures', 'modules')

interface Expected {
  parser: ParserName
  options?: { timezone?: string }
  common: Record<string, unknown>
  entries: ({ first: string; fields: Record<string, unknown> } | { first: string; failure: string })[]
}

export const FIXTURES = Object.entries(MODULES).flatMap(([module, def]) =>
  Object.entries(def.filesets as Readonly<Record<string, FilesetDefinition>>).map(([fileset, fs]) => ({ module, fileset, definition: fs, name: `${module}-${fileset}` })),
)

export function loadFixture(name: string, definition: FilesetDefinition): { expected: Expected; entries: string[] } {
  const expected = JSON.parse(readFileSync(join(dir, `${name}.expected.json`), 'utf8')) as Expected
  const entries = splitEntries(readFileSync(join(dir, `${name}.log`), 'utf8'), definition.multiline, definition.excludeLines)
  return { expected, entries }
}

describe.each(FIXTURES)('$name fixtures', ({ name, definition }) => {
  const { expected, entries } = loadFixture(name, definition)

  it('reads the fixture into the expected entries', () => {
    expect(expected.parser).toBe(definition.parser)
    expect(entries.map((e, i) => e.startsWith(expected.entries[i]?.first ?? '\u0000') ? 'ok' : `entry ${i}: ${e.slice(0, 80)}`)).toEqual(entries.map(() => 'ok'))
    expect(entries.length).toBe(expected.entries.length)
  })

  it.each(expected.entries.map((e, i) => ({ ...e, i })))('entry $i: $first', (want) => {
    const parse = createParser(expected.parser, expected.options)
    const got = flatten(parse(entries[want.i]!))
    const [module, dataset] = [expected.parser.split('.')[0], expected.parser]
    if ('failure' in want) {
      expect(got).toEqual({
        'event.module': module,
        'event.dataset': dataset,
        'error.message': expect.stringContaining(want.failure),
        tags: [PARSE_FAILURE_TAG],
      })
    } else {
      expect(got).toEqual({ ...expected.common, ...want.fields })
      expect(got.tags).toBeUndefined()
    }
  })
})
