import { describe, it, expect } from 'vitest'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { shipperSchema } from '../../src/options/schema.js'
import { configSchema } from '../../src/config/schema.js'
import { parseSize } from '../../src/options/size.js'
import { schemaKeys, type OptionKey } from '../helpers/schema-keys.js'
import { ROOT, runCli, tempDir, writeConfig } from '../helpers/cli.js'
import { defaultStateDir } from '../../src/config/state-dir.js'

interface DocRow {
  readonly path: string
  readonly variant: string | undefined
  readonly defaultCell: string
  readonly example: string
  readonly line: number
}

/** Rows `| \`key\` | default | meaning | example |` of docs/configuration.md, with the `(type: x)` or `(module: x)` of their heading. */
function documentedRows(text: string): DocRow[] {
  const rows: DocRow[] = []
  let variant: string | undefined
  text.split('\n').forEach((line, i) => {
    const heading = /^#{2,4} /.exec(line)
    if (heading) variant = /\((?:type|module): (\w+)\)/.exec(line)?.[1]
    const row = /^\| `([\w.[\]]+)` \| ([^|]*) \| [^|]* \| ([^|]*) \|$/.exec(line)
    if (row && !row[1]!.startsWith('logship_')) rows.push({ path: row[1]!, variant, defaultCell: row[2]!.trim(), example: row[3]!.trim(), line: i + 1 })
  })
  return rows
}

/** Whether a documented default says the same as the schema's. */
function sameDefault(cell: string, value: unknown): boolean {
  // the state directory depends on the user and environment: the page writes it as <state dir>
  const text = cell.replace(/^`|`$/g, '').replace('<state dir>', defaultStateDir())
  if (typeof value === 'number') return Number(text) === value || parseSize(text) === value || (value === Infinity && text === 'Infinity')
  if (typeof value === 'string' || typeof value === 'boolean') return text === String(value)
  return text === JSON.stringify(value)
}

const doc = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8')
const rows = documentedRows(doc)
const libraryKeys = schemaKeys(shipperSchema)
const sameKey = (a: OptionKey, b: OptionKey): boolean => a.path === b.path && a.variant === b.variant
// A key both have is documented once, with the library's default; tail mode's own defaults are on docs/tail.md.
const keys: OptionKey[] = [...libraryKeys, ...schemaKeys(configSchema).filter((k) => !libraryKeys.some((l) => sameKey(k, l)))]
const tailDefaults = schemaKeys(configSchema).filter((k) =>
  libraryKeys.some((l) => sameKey(k, l) && (l.hasDefault !== k.hasDefault || JSON.stringify(l.defaultValue) !== JSON.stringify(k.defaultValue))),
)

describe('docs/configuration.md matches the options schema', () => {
  it('documents every key of the library options and the CLI config, with its default and an example', () => {
    const problems: string[] = []
    for (const key of keys) {
      const row = rows.find((r) => r.path === key.path && (key.variant === undefined || r.variant === key.variant))
      const where = `${key.path}${key.variant ? ` (type: ${key.variant})` : ''}`
      if (!row) {
        problems.push(`${where} is not documented`)
        continue
      }
      if (row.example === '') problems.push(`${where} (line ${row.line}) has no example`)
      if (key.hasDefault && !sameDefault(row.defaultCell, key.defaultValue))
        problems.push(`${where} (line ${row.line}): the page says ${row.defaultCell}, the schema ${String(key.defaultValue)}`)
      if (!key.hasDefault && /^`/.test(row.defaultCell)) problems.push(`${where} (line ${row.line}): the page gives a default (${row.defaultCell}) the schema does not have`)
    }
    expect(problems).toEqual([])
  })

  it("gives tail mode's own defaults of the library's keys on docs/tail.md", () => {
    expect(tailDefaults.map((k) => k.path).sort()).toEqual(['queue.maxBytes', 'queue.spill.dir', 'queue.whenFull'])
    const tail = readFileSync(join(ROOT, 'docs', 'tail.md'), 'utf8')
    const problems = tailDefaults.flatMap((key) => {
      const cell = new RegExp(`^\\| \`${key.path.replace(/\./g, '\\.')}\` \\| ([^|]*) \\|`, 'm').exec(tail)?.[1]?.trim()
      if (cell === undefined) return [`${key.path} is not in the table of docs/tail.md`]
      return sameDefault(cell, key.defaultValue) ? [] : [`${key.path}: docs/tail.md says ${cell}, the config schema ${String(key.defaultValue)}`]
    })
    expect(problems).toEqual([])
  })

  it('documents no key the schema does not have', () => {
    const stale = rows.filter((r) => !keys.some((k) => k.path === r.path && (k.variant === undefined || k.variant === r.variant))).map((r) => `line ${r.line}: ${r.path}`)
    expect(stale).toEqual([])
  })

  it('the checker itself notices a wrong default and a missing key', () => {
    const broken = documentedRows(doc.replace('| `batch.flushMs` | `1000` |', '| `batch.flushMs` | `500` |').replace(/^\| `retry\.maxRetries`.*$/m, ''))
    const flush = broken.find((r) => r.path === 'batch.flushMs')!
    expect(sameDefault(flush.defaultCell, 1000)).toBe(false)
    expect(broken.some((r) => r.path === 'retry.maxRetries')).toBe(false)
  })
})

/** ```yaml config blocks in the docs are complete configs: `logship test config` must accept them. */
describe('YAML configs in the docs are valid', () => {
  const docs = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md'))
  const blocks = docs.flatMap((file) =>
    [...readFileSync(join(ROOT, 'docs', file), 'utf8').matchAll(/```yaml config\n([\s\S]*?)```/g)].map((m, n) => ({ file, n: n + 1, yaml: m[1]! })),
  )
  it('finds configs to check', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2)
  })
  for (const block of blocks) {
    it(`docs/${block.file} config ${block.n}`, async () => {
      const dir = tempDir('docs-config')
      const r = await runCli(['test', 'config', '-c', writeConfig(dir, block.yaml)], { env: { ES_API_KEY: 'k', TOKEN: 't' } })
      // The examples name log paths this machine does not have: test config warns about those globs, nothing else.
      expect(r.stderr.split('\n').filter((l) => l !== '' && !/^logship: warning: inputs\[\d+\]\.paths: .* matches no file;/.test(l))).toEqual([])
      expect(r.code).toBe(0)
    })
  }
})
