import { describe, it, expect } from 'vitest'
import { parseConfigText, ConfigError } from '../../src/config/index.js'

function problemsOf(text: string): readonly string[] {
  try {
    parseConfigText(text, 'logship.yml')
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  return []
}

/** "Billion laughs": nine levels of nine aliases each, 9^9 strings once expanded. */
function aliasBomb(): string {
  const lines = ['inputs:', '  - type: stdin', '    fields:', '      l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
  for (let i = 1; i < 9; i++) lines.push(`      l${i}: &l${i} [${Array.from({ length: 9 }, () => `*l${i - 1}`).join(', ')}]`)
  lines.push('output: { type: file, path: ./out.ndjson }')
  return `${lines.join('\n')}\n`
}

describe('YAML anchors and aliases in a config', () => {
  it('an alias shared between inputs works (the ordinary use)', () => {
    const config = parseConfigText(
      `inputs:
  - { type: file, paths: [/var/log/a.log], fields: &common { env: prod, team: web } }
  - { type: file, paths: [/var/log/b.log], fields: *common }
output: { type: file, path: ./out.ndjson }
`,
      'logship.yml',
    )
    expect(config.inputs.map((i) => i.fields)).toEqual([
      { env: 'prod', team: 'web' },
      { env: 'prod', team: 'web' },
    ])
  })

  it('an alias bomb is refused as a config error naming the cause and the fix, without expanding it', () => {
    const problems = problemsOf(aliasBomb())
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/aliases .*expand to too much/)
    expect(problems[0]).toMatch(/write the values out/)
  })

  it('an alias inside the node it names (a cycle) is refused with its line, not a stack overflow when the config is used', () => {
    const problems = problemsOf(`inputs: &all
  - type: stdin
    fields: { again: *all }
output: { type: file, path: ./out.ndjson }
`)
    expect(problems).toEqual(['line 3: the alias *all is inside the node it names (&all): a config cannot contain itself; write the values out instead'])
  })
})
