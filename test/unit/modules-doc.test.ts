import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createParser, MODULES, PARSER_NAMES, type FilesetDefinition } from '../../src/tail/modules/index.js'
import { flatten } from '../helpers/entries.js'
import { FIXTURES, loadFixture } from '../helpers/module-fixtures.js'
import { PARSER_FIELDS } from '../../src/tail/modules/fields.js'
import { compileNginxFormat, NGINX_VARIABLES_WITH_FIELDS } from '../../src/tail/modules/log-format/nginx.js'
import { compileApacheFormat } from '../../src/tail/modules/log-format/apache.js'

/** docs/modules.md must list exactly the fields the parsers produce on the fixtures, and the catalogue's paths. */
const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'modules.md'), 'utf8')

function sectionOf(parser: string): string {
  const start = doc.indexOf(`\n### ${parser}\n`)
  if (start < 0) return ''
  const rest = doc.slice(start + 1)
  const end = rest.slice(4).search(/\n#{2,3} /)
  return end < 0 ? rest : rest.slice(0, end + 4)
}

function documentedFields(parser: string): string[] {
  return [...sectionOf(parser).matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!)
}

function producedFields(parser: string): string[] {
  const fixture = FIXTURES.find((f) => f.definition.parser === parser)!
  const { expected, entries } = loadFixture(fixture.name, fixture.definition)
  const parse = createParser(expected.parser, expected.options)
  const fields = new Set<string>()
  for (const entry of entries) for (const key of Object.keys(flatten(parse(entry)))) fields.add(key)
  return [...fields]
}

describe('docs/modules.md', () => {
  it.each(PARSER_NAMES)('lists every field %s produces, and no other', (parser) => {
    const documented = documentedFields(parser)
    expect(documented.length).toBeGreaterThan(0)
    expect(new Set(documented).size).toBe(documented.length)
    expect([...documented].sort()).toEqual(producedFields(parser).sort())
  })

  it.each(PARSER_NAMES)('has the same field table for %s as `logship modules fields` prints', (parser) => {
    const rows = [...sectionOf(parser).matchAll(/^\| `([^`]+)` \| ([^|]+) \| (.*) \|$/gm)].map((m) => ({ field: m[1], type: m[2]!.trim(), from: m[3]!.trim() }))
    expect(rows).toEqual(PARSER_FIELDS[parser])
  })

  it.each([
    ['nginx variables', (token: string) => compileNginxFormat(token).specs[0]!],
    ['apache directives', (token: string) => compileApacheFormat(token).specs[0]!],
  ] as const)('the %s table says what the compiler does with each', (section, compile) => {
    const rows = [...sectionOf(section).matchAll(/^\| `([^`]+)` \| (.*) \| (\S+) \|$/gm)]
    expect(rows.length).toBeGreaterThan(20)
    for (const [, token, fields, type] of rows) {
      const spec = compile(token!)
      expect(
        [...fields!.matchAll(/`([^`$]+)`/g)].map((m) => m[1]),
        token,
      ).toEqual(spec.fields)
      expect(type, token).toBe(spec.type)
    }
    if (section === 'nginx variables') expect(rows.map((r) => r[1])).toEqual(NGINX_VARIABLES_WITH_FIELDS.map((v) => `$${v}`))
  })

  it("shows the catalogue's default paths for every fileset and distribution", () => {
    for (const [module, def] of Object.entries(MODULES)) {
      for (const [fileset, fs] of Object.entries(def.filesets as Readonly<Record<string, FilesetDefinition>>)) {
        const row = doc.split('\n').find((line) => line.startsWith(`| ${module} ${fileset} |`))
        expect(row, `${module} ${fileset}`).toBeDefined()
        const cells = row!
          .split(' | ')
          .slice(1)
          .map((cell) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]))
        expect(cells).toEqual([[...fs.paths.debian], [...fs.paths.rhel], [...fs.paths.homebrew]])
      }
    }
  })
})
