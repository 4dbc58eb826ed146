import { describe, expect, it } from 'vitest'
import { runFixture } from '../helpers/child.js'

// createShipper() starts the shipping worker before it checks the options, so that the worker
// loads while zod does (src/shipper/worker-link.ts, startWorkerEarly).
describe('the shipping worker started before the options are checked', () => {
  it.skipIf(process.platform !== 'linux')('options that fail their check leave no thread behind, and say what is wrong', async () => {
    const attempts = [
      { output: { type: 'logstash', hosts: [] } },
      { output: { type: 'no-such-output' } },
      { output: { type: 'file', path: '/tmp/x.ndjson' }, queue: { maxBytes: 'lots' } },
      { output: { type: 'file', path: '/tmp/x.ndjson' }, batchh: {} },
    ]
    const result = await runFixture('child/invalid-options-threads.mjs', { attempts, waitMs: 10_000 })
    expect(result.stderr).toBe('')
    const { before, after, messages } = JSON.parse(result.stdout) as { before: number; after: number; messages: string[] }
    expect(messages).toHaveLength(attempts.length)
    expect(messages).not.toContain('accepted')
    expect(messages[0]).toMatch(/hosts/)
    expect(messages[1]).toMatch(/no-such-output|output\.type/)
    expect(messages[2]).toMatch(/maxBytes/)
    expect(messages[3]).toMatch(/batchh/)
    // every worker started for them has ended
    expect(after).toBe(before)
  })
})
