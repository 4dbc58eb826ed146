import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { MODULES, type FilesetDefinition, type ParserName } from '../../src/tail/modules/index.js'
import { splitEntries } from './entries.js'

/**
 * The fixture of each fileset: test/fixtures/modules/<module>-<fileset>.log, with its
 * hand-written expectations in <module>-<fileset>.expected.json.
 */
const dir = join(import.meta.dirname, '..', 'fixtures', 'modules')

export interface ExpectedFixture {
  parser: ParserName
  options?: { timezone?: string }
  common: Record<string, unknown>
  entries: ({ first: string; fields: Record<string, unknown> } | { first: string; failure: string })[]
}

export const FIXTURES = Object.entries(MODULES).flatMap(([module, def]) =>
  Object.entries(def.filesets as Readonly<Record<string, FilesetDefinition>>).map(([fileset, definition]) => ({ module, fileset, definition, name: `${module}-${fileset}` })),
)

/** The expectations and the fixture read into entries with the catalogue's own multiline settings. */
export function loadFixture(name: string, definition: FilesetDefinition): { expected: ExpectedFixture; entries: string[] } {
  const expected = JSON.parse(readFileSync(join(dir, `${name}.expected.json`), 'utf8')) as ExpectedFixture
  const entries = splitEntries(readFileSync(join(dir, `${name}.log`), 'utf8'), definition.multiline, definition.excludeLines)
  return { expected, entries }
}
