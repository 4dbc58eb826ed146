import { describe, it, expect } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startCli, tempDir, writeConfig } from '../helpers/cli.js'
import { startSink } from '../helpers/sink.js'
import { waitFor } from '../helpers/wait.js'

const LINES = 2_000

describe('the output comes back after an outage', () => {
  it('shipping resumes within seconds, not at the end of a long backoff', async () => {
    const sink = await startSink()
    // Seven failed requests in a row: the plain backoff (1 s doubling, full jitter) would wait about a minute in all.
    await sink.setMode({ failStatus: 503, failNext: 7 })
    const dir = tempDir('recovery')
    const log = join(dir, 'app.log')
    writeFileSync(log, Array.from({ length: LINES }, (_, i) => `line id=${i}\n`).join(''))
    const cfg = writeConfig(
      dir,
      `inputs:
  - type: file
    paths: ['${log}']
output: { type: http, url: '${sink.url}' }
retry: { initialDelayMs: 1000, maxDelayMs: 60000 }
registry: { path: ${dir}/registry.json }
`,
    )
    const logship = startCli(['run', '-c', cfg])
    await logship.ready
    // While failing, one batch probes every 2 s: 7 failures take about 14 s, then everything goes.
    await waitFor(async () => (await sink.events()).length >= LINES, `all ${LINES} lines once the sink answers again`, 25_000, 100)
    expect(await sink.requests()).toBeLessThan(40) // probing, not hammering
    logship.child.kill('SIGTERM')
    expect((await logship.exited).code, logship.stderr()).toBe(0)
  }, 60_000)
})
