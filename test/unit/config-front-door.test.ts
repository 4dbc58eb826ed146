import { describe, it, expect } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { stringify } from 'yaml'
import { parseConfigText, ConfigError } from '../../src/config/index.js'
import { configSchema, TAIL_QUEUE_BYTES } from '../../src/config/schema.js'
import { resolveConfig, type ConfigSource } from '../../src/config/resolve.js'
import { shipperOptionsFor } from '../../src/config/shipper-options.js'
import { resolveOptions } from '../../src/options/resolve.js'

const FLAGS: ConfigSource = { name: 'logship pipe', lineTag: () => '' }

function problemsOf(resolve: () => unknown): readonly string[] {
  try {
    resolve()
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  return []
}

describe('one front door for the config: a YAML file and command flags resolve alike', () => {
  it("tail mode's queue policy is the config schema's own defaults (no second look at what was written)", () => {
    const { queue } = configSchema.parse({ output: { type: 'console' } })
    expect(queue).toMatchObject({ maxBytes: TAIL_QUEUE_BYTES, whenFull: 'block' })
    expect(queue.spill.dir).toMatch(/spill$/)
  })

  const rawConfig = fc.record(
    {
      inputs: fc.constant([{ type: 'stdin' }]),
      output: fc.constantFrom({ type: 'console' }, { type: 'file', path: '/tmp/out.ndjson' }, { type: 'http', url: 'http://127.0.0.1:9/x' }),
      queue: fc.record({ maxBytes: fc.constantFrom(65536, '4mb', '64mb'), whenFull: fc.constant('block'), durable: fc.boolean() }, { requiredKeys: [] }),
      batch: fc.record({ maxEvents: fc.integer({ min: 1, max: 10_000 }), flushMs: fc.integer({ min: 0, max: 60_000 }) }, { requiredKeys: [] }),
      shutdownTimeoutMs: fc.integer({ min: 0, max: 100_000 }),
      fields: fc.dictionary(fc.constantFrom('env', 'team', 'region'), fc.string({ maxLength: 8 })),
    },
    { requiredKeys: ['inputs', 'output'] },
  )

  test.prop([rawConfig])('the same data as YAML text or as flags gives the same config (or the same problems), and the shipper accepts its options', (raw) => {
    const fileProblems = problemsOf(() => parseConfigText(stringify(raw), 'logship.yml', { env: {} }))
    const flagProblems = problemsOf(() => resolveConfig(structuredClone(raw), FLAGS))
    // a file's problems also say on which line
    expect(flagProblems).toEqual(fileProblems.map((p) => p.replace(/^line \d+: /, '')))
    if (fileProblems.length > 0) return
    const fromFile = parseConfigText(stringify(raw), 'logship.yml', { env: {} })
    expect(resolveConfig(structuredClone(raw), FLAGS)).toEqual(fromFile)
    const options = resolveOptions({ ...shipperOptionsFor(fromFile), handleExit: false })
    expect(options.queue).toEqual(fromFile.queue)
  })

  it('flags get the checks a file gets, with the key path (no line) and the command named', () => {
    const raw = { inputs: [{ type: 'stdin', maxLineBytes: '20mb' }], output: { type: 'console' } }
    expect(() => resolveConfig(raw, FLAGS)).toThrow(/^logship pipe: inputs\[0\]\.maxLineBytes: got 20971520; expected at most/)
    expect(problemsOf(() => resolveConfig({ output: { type: 'console' }, queue: { whenFull: 'drop-newest' } }, FLAGS))).toEqual([
      'queue.whenFull: got "drop-newest"; tail mode always blocks (the file is the buffer, nothing is dropped): remove it or write block',
    ])
    expect(problemsOf(() => resolveConfig({ output: { type: 'console' }, inputz: [] }, FLAGS))[0]).toMatch(/^\(top level\): unknown key "inputz".*did you mean "inputs"\?/)
  })
})
