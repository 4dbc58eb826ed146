import { describe, it, expect } from 'vitest'
import { appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { startCli, tempDir, writeConfig, countIds, exactlyOnceProblems } from '../helpers/cli.js'
import { startSinkProcess, type Sink } from '../helpers/sink.js'
import { waitFor } from '../helpers/wait.js'

// `engine: { thread: main }`: the harvesters and the engine share one thread. A harvester that
// waited for room in a full queue synchronously would keep the engine from ever freeing it
// (a deadlock); these runs only finish if every wait for room is asynchronous.

const LINE_BYTES = 4096
const MIB = 1024 * 1024
const QUEUE = 4 * MIB

/** Appends `mib` MiB of 4 KiB lines with ids from 0; returns how many lines. */
function writeLines(path: string, mib: number): number {
  const lines = (mib * MIB) / LINE_BYTES
  const pad = 'p'.repeat(LINE_BYTES)
  for (let chunk = 0; chunk < lines; chunk += 256) {
    let text = ''
    for (let id = chunk; id < chunk + 256 && id < lines; id++) text += `${`id=${String(id).padStart(10, '0')} ${pad}`.slice(0, LINE_BYTES - 1)}\n`
    appendFileSync(path, text)
  }
  return lines
}

function configFor(dir: string, log: string, sink: Sink, extra = ''): string {
  return writeConfig(
    dir,
    `inputs:
  - type: file
    paths: ['${log}']
output: { type: http, url: '${sink.url}', timeoutMs: 120000 }
queue: { maxBytes: ${QUEUE} }
batch: { maxEvents: 100, flushMs: 20 }
registry: { path: ${dir}/registry.json }
engine: { thread: main }
${extra}`,
  )
}

describe('tail mode with the engine on the main thread', () => {
  it('a stalled sink fills the queue, reading waits, and once the sink answers every line is shipped once; SIGTERM exits 0', async () => {
    const dir = tempDir('main-thread-stall')
    const log = join(dir, 'big.log')
    const lines = writeLines(log, 24)
    const sink = await startSinkProcess()
    await sink.setMode({ stall: true })
    const logship = startCli(['run', '-c', configFor(dir, log, sink)])
    await waitFor(() => sink.stalledRequests().then((n) => n > 0), 'the first request to stall')
    // The queue fills while the sink holds its replies; the process still answers (SIGUSR2 stats
    // are served by the same thread), so nothing waits synchronously.
    const full = await waitFor(async () => {
      const s = await logship.stats()
      return s.shipper.queuedBytes + s.feederBytes > QUEUE / 2 && s.lagBytes > 16 * MIB ? s : undefined
    }, 'the queue to fill while the sink stalls')
    expect(full?.shipper.acked).toBe(0)

    await sink.setMode({ stall: false })
    await waitFor(async () => (await logship.stats()).lagBytes === 0, 'every line to be acknowledged once the sink answers', 60_000, 250)
    await logship.signal('SIGTERM')
    expect((await logship.exited).code, logship.stderr()).toBe(0)
    const counts = countIds((await sink.events()) as unknown as { message: string }[])
    expect(exactlyOnceProblems(counts, lines)).toEqual({ missing: [], duplicated: [], extra: [] })
  })

  it('SIGTERM while the sink never answers and the queue is full: exits 0, and the next start ships every line once', async () => {
    const dir = tempDir('main-thread-sigterm')
    const log = join(dir, 'big.log')
    const lines = writeLines(log, 16)
    const sink = await startSinkProcess()
    await sink.setMode({ stall: true })
    const cfg = configFor(dir, log, sink, 'shutdownTimeoutMs: 200\n')
    const first = startCli(['run', '-c', cfg])
    await waitFor(async () => {
      const s = await first.stats()
      return s.shipper.queuedBytes + s.feederBytes > QUEUE / 2
    }, 'the queue to fill while the sink stalls')
    await first.signal('SIGTERM')
    expect((await first.exited).code, first.stderr()).toBe(0)
    expect(first.stderr()).toMatch(/not acknowledged/)

    // What was not acknowledged is read again: a second run against a working sink ships it all.
    const fresh = await startSinkProcess()
    const second = startCli(['run', '--once', '-c', configFor(dir, log, fresh, 'shutdownTimeoutMs: 200\n')])
    expect((await second.exited).code, second.stderr()).toBe(0)
    const counts = countIds((await fresh.events()) as unknown as { message: string }[])
    expect(exactlyOnceProblems(counts, lines)).toEqual({ missing: [], duplicated: [], extra: [] })
  })
})
