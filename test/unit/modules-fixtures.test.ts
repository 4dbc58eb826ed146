import { describe, expect, it } from 'vitest'
import { createParser, PARSE_FAILURE_TAG } from '../../src/tail/modules/index.js'
import { flatten } from '../helpers/entries.js'
import { FIXTURES, loadFixture } from '../helpers/module-fixtures.js'

/**
 * Real-world log shapes for every fileset (test/fixtures/modules/<module>-<fileset>.log),
 * read into entries with the catalogue's own multiline settings, parsed, and compared field
 * by field with the hand-written expectations next to them.
 */
describe.each(FIXTURES)('$name fixtures', ({ name, definition }) => {
  const { expected, entries } = loadFixture(name, definition)

  it('reads the fixture into the expected entries', () => {
    expect(expected.parser).toBe(definition.parser)
    expect(entries.map((e, i) => (e.startsWith(expected.entries[i]?.first ?? '\u0000') ? 'ok' : `entry ${i}: ${e.slice(0, 80)}`))).toEqual(entries.map(() => 'ok'))
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
