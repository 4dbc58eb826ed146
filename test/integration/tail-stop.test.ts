import { describe, it, expect } from 'vitest'
import { writeFileSync, readFileSync, existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { startCli, tempDir, writeConfig } from '../helpers/cli.js'
import { startSink } from '../helpers/sink.js'
import { freePort } from '../helpers/ports.js'
import { waitFor } from '../helpers/wait.js'

const LINES = 200_000
const SHUTDOWN_MS = 2000
/** SIGTERM must end the process within shutdownTimeoutMs plus one second; this is only how long the test waits for that. */
const EXIT_WITHIN_MS = SHUTDOWN_MS + 1000 + 4000

function bigLog(path: string): void {
  const lines: string[] = []
  for (let i = 0; i < LINES; i++) lines.push(`line id=${i} ${'x'.repeat(80)}`)
  writeFileSync(path, `${lines.join('\n')}\n`)
}

async function stopsWhileFailing(outputUrl: string, dir: string): Promise<void> {
  const log = join(dir, 'app.log')
  bigLog(log)
  const cfg = writeConfig(
    dir,
    `inputs:
  - type: file
    paths: ['${log}']
    maxLineBytes: 64kb
output: { type: http, url: '${outputUrl}' }
queue: { maxBytes: 1mb }
retry: { initialDelayMs: 50 }
registry: { path: ${dir}/registry.json, flushMs: 100 }
shutdownTimeoutMs: ${SHUTDOWN_MS}
`,
  )
  const logship = startCli(['run', '-c', cfg])
  await Promise.race([logship.ready, logship.exited.then(() => Promise.reject(new Error(`logship exited at start:\n${logship.stderr()}`)))])
  // The queue is full and the output fails: harvesters wait on backpressure, the sender retries.
  // (the feeder holds records only when the queue refused them: it is full)
  await waitFor(
    async () => {
      const s = await logship.stats()
      return s.feederBytes > 0 || s.shipper.queuedBytes > 512 * 1024
    },
    'the queue to fill',
    30_000,
    200,
  )
  logship.child.kill('SIGTERM')
  const exited = await Promise.race([logship.exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), EXIT_WITHIN_MS))])
  expect(exited, logship.stderr()).toEqual({ code: 0, signal: null })
  expect(logship.stderr()).toMatch(/events were not acknowledged; they are read again at the next start/)
  // The registry was written, and holds nothing beyond what was acknowledged (nothing was).
  expect(existsSync(join(dir, 'registry.json'))).toBe(true)
  const registry = JSON.parse(readFileSync(join(dir, 'registry.json'), 'utf8')) as { entries: [string, string, number][] }
  expect(registry.entries.map(([, path, offset]) => [path, offset])).toEqual([[log, 0]])
}

describe('SIGTERM while the queue is full and the output fails', () => {
  it('exits within shutdownTimeoutMs + 1 s when the output answers 503', async () => {
    const sink = await startSink()
    await sink.setMode({ failStatus: 503, failNext: -1 })
    await stopsWhileFailing(`${sink.url}`, tempDir('stop-503'))
  })

  it('exits within shutdownTimeoutMs + 1 s when the output refuses connections', async () => {
    const port = await freePort()
    await stopsWhileFailing(`http://127.0.0.1:${port}/ingest`, tempDir('stop-refused'))
  })

  it('exits within shutdownTimeoutMs + 1 s when the output accepts connections and never answers', async () => {
    const silent = createServer(() => {})
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
    const port = (silent.address() as { port: number }).port
    try {
      await stopsWhileFailing(`http://127.0.0.1:${port}/ingest`, tempDir('stop-silent'))
    } finally {
      silent.close()
    }
  })
})
