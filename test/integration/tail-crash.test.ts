import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startCli, tempDir, writeConfig, readNdjson, countIds, type ShippedLine } from '../helpers/cli.js'
import { LineWriter } from '../helpers/writer.js'
import { waitFor } from '../helpers/wait.js'

const TOTAL = 60_000

describe('kill -9 of logship run', () => {
  it('ships every line at least once after a restart; duplicates only from after the last registry write', async () => {
    const dir = tempDir('crash')
    const log = join(dir, 'app.log')
    const out = join(dir, 'out.ndjson')
    const registryPath = join(dir, 'registry.json')
    const cfg = writeConfig(
      dir,
      `inputs:
  - type: file
    paths: ['${log}']
    scanIntervalMs: 100
output: { type: file, path: ${out} }
batch: { flushMs: 50, maxEvents: 500 }
registry: { path: ${registryPath}, flushMs: 300 }
`,
    )
    const writer = new LineWriter(log, TOTAL, 20_000)
    const first = startCli(['run', '-c', cfg])
    await waitFor(() => readNdjson(out).events.length >= 15_000, 'the first run to ship 15,000 lines', 40_000, 100)
    // the first registry write may record the file before anything shipped: wait for progress
    const durableOffset = (): number => {
      try {
        return (JSON.parse(readFileSync(registryPath, 'utf8')) as { entries: [string, string, number][] }).entries[0]?.[2] ?? 0
      } catch {
        return 0 // not written yet (or mid-rename)
      }
    }
    await waitFor(() => durableOffset() > 0, 'a registry write that records progress')
    first.child.kill('SIGKILL')
    await first.exited
    const durable = durableOffset()
    const shippedBeforeCrash = readNdjson(out).events.length
    expect(durable).toBeGreaterThan(0)

    const second = startCli(['run', '-c', cfg])
    await writer.finished()
    await waitFor(() => countIds(readNdjson<ShippedLine>(out).events).size >= TOTAL, 'every line after the restart', 40_000, 250)
    await second.signal('SIGTERM')
    expect((await second.exited).code, second.stderr()).toBe(0)

    const { events, torn } = readNdjson<ShippedLine>(out)
    expect(torn).toBeLessThanOrEqual(1)
    const counts = countIds(events)
    for (let i = 0; i < TOTAL; i++) expect(counts.get(i) ?? 0, `id=${i}`).toBeGreaterThanOrEqual(1)
    // Duplicates come only from the window the registry had not yet recorded when the process died.
    const seen = new Set<number>()
    const duplicates: ShippedLine[] = []
    for (const e of events) {
      const id = Number(/id=(\d+)/.exec(e.message)![1])
      if (seen.has(id)) duplicates.push(e)
      seen.add(id)
    }
    for (const d of duplicates) expect(d.log.offset, d.message).toBeGreaterThanOrEqual(durable)
    expect(duplicates.length).toBeLessThanOrEqual(shippedBeforeCrash)
  })
})
