import { describe, it, expect } from 'vitest'
import { resolveOptions } from '../../src/options/resolve.js'
import { OptionError } from '../../src/errors.js'

function problems(input: unknown): readonly string[] {
  try {
    resolveOptions(input)
  } catch (err) {
    if (err instanceof OptionError) return err.problems
    throw err
  }
  throw new Error('the options were accepted')
}

describe("option errors speak the project's words", () => {
  it('suggests the key for pino-elasticsearch names, Filebeat names and near misses', () => {
    expect(problems({ output: { type: 'elasticsearch', node: 'http://127.0.0.1:9200', op_type: 'create', esVersion: 8, flushInterval: 100 } })).toEqual([
      'output: unknown key "node"; did you mean "hosts"? (pino-elasticsearch\'s node is output.hosts here: a list of URLs)',
      'output: unknown key "op_type"; logship always writes with create: keep dataStream: true (the default) for a data stream, or set idempotent: true',
      'output: unknown key "esVersion"; not needed: logship asks the cluster for its version before the first request',
      'output: unknown key "flushInterval"; this is batch.flushMs in logship (a top-level option: { batch: { flushMs } })',
      'output.hosts: missing; expected hosts (e.g. ["http://127.0.0.1:9200"]) or cloudId',
    ])
    expect(problems({ output: { type: 'logstash', hosts: ['127.0.0.1:5044'], bulk_max_size: 10 }, close_timeout: 5 })).toEqual([
      'output: unknown key "bulk_max_size"; did you mean "bulkMaxSize"? (keys are camelCase)',
      '(options): unknown key "close_timeout"; did you mean "closeTimeoutMs"? (whole milliseconds)',
    ])
    expect(problems({ output: { type: 'console' }, batch: { maxEvent: 1 } })).toEqual(['batch: unknown key "maxEvent"; did you mean "maxEvents"?'])
    expect(problems({ output: { type: 'console' }, batch: { colour: 1 } })).toEqual(['batch: unknown key "colour"; check the spelling (keys are camelCase)'])
  })

  it('shows only what the user wrote: no defaults, Infinity as Infinity, no validator wording', () => {
    expect(problems({ output: { type: 'console' }, retry: { initialDelayMs: 5000, maxDelayMs: 100 } })).toEqual([
      'retry.maxDelayMs: got 100; expected maxDelayMs at least as long as initialDelayMs',
    ])
    expect(problems({ output: { type: 'console' }, retry: { maxRetries: -1 } })).toEqual(['retry.maxRetries: got -1; expected 0 or more'])
    expect(problems({ output: { type: 'http', url: 'http://127.0.0.1/x', timeoutMs: 0 } })).toEqual(['output.timeoutMs: got 0; expected 1 or more'])
    expect(problems({ output: { type: 'console' }, retry: { initialDelayMs: 'x' } })).toEqual(['retry.initialDelayMs: got "x"; expected a number'])
    expect(problems({ output: { type: 'console' }, deadLetter: {} })).toEqual(['deadLetter: got {}; expected exactly one of path or index'])
    expect(problems({ output: { type: 'console', x: 1 }, fields: { big: Infinity }, queue: { whenFull: 'nope' } }).join('\n')).not.toMatch(/Too small|Too big|Invalid input/)
  })

  it('refuses a queue too small to hold ordinary events', () => {
    expect(problems({ output: { type: 'console' }, queue: { maxBytes: 10 } })).toEqual([
      'queue.maxBytes: got 10; expected at least 4096 bytes (4kb): smaller queues cannot hold ordinary events',
    ])
    expect(resolveOptions({ output: { type: 'console' }, queue: { maxBytes: '4kb' } }).queue.maxBytes).toBe(4096)
  })
})
