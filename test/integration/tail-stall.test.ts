import { describe, it, expect } from 'vitest'
import { appendFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { startCli, tempDir, writeConfig, countIds, exactlyOnceProblems, type TailStatsJson } from '../helpers/cli.js'
import { startSinkProcess } from '../helpers/sink.js'
import { waitFor } from '../helpers/wait.js'

const LINE_BYTES = 4096
const MIB = 1024 * 1024
const QUEUE = 4 * MIB

/** Appends `mib` MiB of 4 KiB lines with ids from `first`; returns the next id. */
function grow(path: string, first: number, mib: number): number {
  const lines = (mib * MIB) / LINE_BYTES
  const pad = 'p'.repeat(LINE_BYTES - 20)
  let id = first
  for (let chunk = 0; chunk < lines; chunk += 256) {
    let text = ''
    for (let i = 0; i < 256 && chunk + i < lines; i++) text += `id=${String(id++).padStart(10, '0')} ${pad}`.slice(0, LINE_BYTES - 1) + '\n'
    appendFileSync(path, text)
  }
  return id
}

describe('a sink that stalls', () => {
  it('keeps memory bounded while the file grows (the read pointer waits), then ships everything once', async () => {
    const dir = tempDir('stall')
    const log = join(dir, 'big.log')
    const sink = await startSinkProcess()
    await sink.setMode({ stall: true })
    const cfg = writeConfig(
      dir,
      `inputs:
  - type: file
    paths: ['${log}']
    scanIntervalMs: 100
output: { type: http, url: '${sink.url}', timeoutMs: 120000 }
queue: { maxBytes: ${QUEUE} }
batch: { maxEvents: 200, flushMs: 50 }
registry: { path: ${dir}/registry.json }
`,
    )
    let next = grow(log, 0, 16)
    const logship = startCli(['run', '-c', cfg])
    await waitFor(() => sink.stalledRequests().then((n) => n > 0), 'the first request to stall')
    const settle = async (minLag: number): Promise<TailStatsJson> =>
      waitFor(async () => {
        const s = await logship.stats()
        // the size logship last saw must be the file's: a snapshot between scans understates the lag
        return s.lagBytes >= minLag && s.files[0]?.size === statSync(log).size && s.shipper.queuedBytes + s.feederBytes > 0 ? s : undefined
      }, `the lag to reach ${minLag} bytes`) as Promise<TailStatsJson>

    const before = await settle(16 * MIB - QUEUE - MIB)
    next = grow(log, next, 64)
    const after = await settle(80 * MIB - QUEUE - MIB)

    for (const s of [before, after]) {
      expect(s.shipper.acked).toBe(0)
      expect(s.shipper.queuedBytes).toBeLessThanOrEqual(QUEUE)
      expect(s.feederBytes).toBeLessThanOrEqual(MIB)
      expect(s.files[0]!.lag).toBe(s.files[0]!.size)
    }
    // 64 MiB more file, no more memory: what is not in the queue stays in the file.
    expect(after.lagBytes - before.lagBytes).toBeGreaterThanOrEqual(63 * MIB)
    expect(after.rssBytes - before.rssBytes).toBeLessThan(32 * MIB)

    await sink.setMode({ stall: false })
    await waitFor(async () => (await logship.stats()).lagBytes === 0, 'the lag to drop to 0 once the sink answers', 50_000, 250)
    await logship.signal('SIGTERM')
    expect((await logship.exited).code, logship.stderr()).toBe(0)
    const counts = countIds((await sink.events()) as unknown as { message: string }[])
    expect(exactlyOnceProblems(counts, next)).toEqual({ missing: [], duplicated: [], extra: [] })
  })
})
