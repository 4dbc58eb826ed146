import { describe, it, expect } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { resolveOptions } from '../../src/options/resolve.js'
import { resolveConfig, ConfigError, type ConfigSource } from '../../src/config/resolve.js'
import { parseConfigText } from '../../src/config/load.js'
import { configSchema } from '../../src/config/schema.js'
import { shipperSchema } from '../../src/options/schema.js'
import { OptionError } from '../../src/errors.js'

// One owner of "unknown key → hint" (src/options/suggest-key.ts) behind both front doors: the
// library's options and the YAML config. Each is told its own spelling where they differ.

const FLAGS: ConfigSource = { name: 'logship.yml', lineTag: () => '' }

function libraryProblems(options: Record<string, unknown>): readonly string[] {
  try {
    resolveOptions({ output: { type: 'console' }, ...options })
  } catch (err) {
    if (err instanceof OptionError) return err.problems
    throw err
  }
  return []
}

function yamlProblems(config: Record<string, unknown>): readonly string[] {
  try {
    resolveConfig({ inputs: [{ type: 'file', paths: ['/tmp/x.log'] }], output: { type: 'console' }, ...config }, FLAGS)
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  return []
}

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

describe('unknown keys: one table of hints for both front doors', () => {
  it("tells each front door where a top-level setting lives, in that door's spelling", () => {
    expect(libraryProblems({ flush_interval: 100 })).toEqual([
      '(options): unknown key "flush_interval"; this is batch.flushMs in logship (a top-level option: { batch: { flushMs } })',
    ])
    expect(yamlProblems({ flush_interval: 100 })).toEqual(['(top level): unknown key "flush_interval"; this is batch.flushMs in logship (at the top level: batch: { flushMs })'])
  })

  it('suggests the key that exists where the unknown one stands (Filebeat close_timeout, shutdown_timeout)', () => {
    expect(libraryProblems({ close_timeout: 5 })).toEqual(['(options): unknown key "close_timeout"; did you mean "closeTimeoutMs"? (whole milliseconds)'])
    expect(yamlProblems({ close_timeout: '5s' })).toEqual(['(top level): unknown key "close_timeout"; did you mean "shutdownTimeoutMs"? (a duration such as 5m)'])
    expect(yamlProblems({ inputs: [{ type: 'file', paths: ['/tmp/x.log'], close_timeout: '5m' }] })).toEqual([
      'inputs[0]: unknown key "close_timeout"; did you mean "closeInactiveMs"? (a duration such as 5m)',
    ])
    expect(libraryProblems({ shutdown_timeout: 5 })).toEqual(['(options): unknown key "shutdown_timeout"; did you mean "closeTimeoutMs"? (whole milliseconds)'])
  })

  it("writes an output written Filebeat's way as an object of each door's syntax", () => {
    expect(libraryProblems({ 'output.elasticsearch': {} })).toEqual([
      `(options): unknown key "output.elasticsearch"; did you mean "output"? (output: { type: 'elasticsearch', hosts: [...] })`,
    ])
    expect(yamlProblems({ 'output.elasticsearch': {} })).toEqual([
      '(top level): unknown key "output.elasticsearch"; did you mean "output"? (output: { type: elasticsearch, hosts: [...] })',
    ])
  })

  it('hints inside the output of a YAML config too (pino-elasticsearch and Filebeat names)', () => {
    expect(yamlProblems({ output: { type: 'elasticsearch', hosts: ['http://127.0.0.1:9200'], ssl: {} } })).toEqual([
      'output: unknown key "ssl"; did you mean "tls"? ({ ca, cert, key, rejectUnauthorized })',
    ])
    expect(yamlProblems({ output: { type: 'logstash', hosts: ['127.0.0.1:5044'], worker: 2 } })).toEqual(['output: unknown key "worker"; did you mean "workers"?'])
  })

  it('hints inside a module entry (near misses of its filesets)', () => {
    expect(yamlProblems({ inputs: [], modules: [{ module: 'nginx', acess: {} }] })).toEqual(['modules[0]: unknown key "acess"; did you mean "access"?'])
  })

  it('tags each unknown key of one object with its own line', () => {
    const yaml = 'inputs:\n  - type: file\n    paths: [/tmp/x.log]\n    exclude_files: []\n    tail_files: true\noutput: { type: console }\n'
    let problems: readonly string[] = []
    try {
      parseConfigText(yaml, 'logship.yml', { env: {} })
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err
      problems = err.problems
    }
    expect(problems).toEqual([
      'line 4: inputs[0]: unknown key "exclude_files"; did you mean "excludeFiles"? (keys are camelCase)',
      'line 5: inputs[0]: unknown key "tail_files"; did you mean "start"? (start: end)',
    ])
  })

  const libraryTop = Object.keys(shipperSchema.shape).filter((k) => /[A-Z]/.test(k))
  const yamlTop = Object.keys(configSchema.shape).filter((k) => /[A-Z]/.test(k))

  test.prop([fc.constantFrom(...libraryTop)])('a library key written in snake_case is named in camelCase', (key) => {
    expect(libraryProblems({ [snake(key)]: 1 })).toEqual([`(options): unknown key "${snake(key)}"; did you mean "${key}"? (keys are camelCase)`])
  })

  test.prop([fc.constantFrom(...yamlTop)])('a YAML key written in snake_case is named in camelCase', (key) => {
    expect(yamlProblems({ [snake(key)]: 1 })).toEqual([`(top level): unknown key "${snake(key)}"; did you mean "${key}"? (keys are camelCase)`])
  })

  test.prop([fc.constantFrom(...Object.keys(configSchema.shape).filter((k) => k.length >= 8)), fc.nat()])(
    'a YAML key with one letter left out gets a key allowed there',
    (key, at) => {
      const i = at % key.length
      const typo = key.slice(0, i) + key.slice(i + 1)
      const [problem] = yamlProblems({ [typo]: 1 })
      const suggested = /did you mean "([^"]+)"\?/.exec(problem ?? '')?.[1]
      expect(Object.keys(configSchema.shape)).toContain(suggested)
    },
  )
})
