import { describe, it, expect } from 'vitest'
import { renameSync, copyFileSync, truncateSync, unlinkSync, readFileSync, existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { startCli, tempDir, writeConfig, readNdjson, countIds, exactlyOnceProblems, type ShippedLine } from '../helpers/cli.js'
import { LineWriter } from '../helpers/writer.js'
import { waitFor } from '../helpers/wait.js'

const TOTAL = 80_000
const RATE = 20_000

function shippedIds(out: string): Map<number, number> {
  return countIds(readNdjson<ShippedLine>(out).events)
}

describe('rotation while a writer appends 20,000 lines/s', () => {
  it('ships every line exactly once through rename, copytruncate, truncate and delete', async () => {
    const dir = tempDir('rotation')
    const log = join(dir, 'app.log')
    const out = join(dir, 'out.ndjson')
    const cfg = writeConfig(
      dir,
      `inputs:
  - type: file
    paths: ['${dir}/app.log*']
    scanIntervalMs: 100
    closeInactiveMs: 2000
output: { type: file, path: ${out} }
batch: { flushMs: 50 }
registry: { path: ${dir}/registry.json, flushMs: 200 }
`,
    )
    const logship = startCli(['run', '-c', cfg])
    const writer = new LineWriter(log, TOTAL, RATE)

    // 1. rename and create (logrotate `create`): the renamed file is read to its end.
    await writer.reach(15_000)
    renameSync(log, `${log}.1`)
    writer.reopen()

    // 2. copytruncate: copy, then truncate in place (the writer is paused so no line falls
    //    between the copy and the truncation; that gap is copytruncate's own, not logship's).
    await writer.reach(30_000)
    await writer.pause()
    copyFileSync(log, `${log}.2`)
    truncateSync(log, 0)
    writer.resume()

    // 3. truncation in place (`: > app.log`) once everything written so far was shipped.
    await writer.reach(45_000)
    const written = await writer.pause()
    await waitFor(() => shippedIds(out).size >= written, `logship to ship the ${written} lines written before the truncation`, 40_000, 200)
    truncateSync(log, 0)
    writer.resume()

    // 4. delete while the writer still writes to it, then the writer opens a new file.
    await writer.reach(60_000)
    unlinkSync(log)
    await writer.reach(62_000)
    writer.reopen()

    await writer.finished()
    await waitFor(() => shippedIds(out).size >= TOTAL, 'every line to be shipped', 40_000, 250)
    await logship.signal('SIGTERM')
    const exit = await logship.exited
    expect(exit.code, logship.stderr()).toBe(0)

    const counts = shippedIds(out)
    expect(exactlyOnceProblems(counts, TOTAL), logship.stderr()).toEqual({ missing: [], duplicated: [], extra: [] })
    // The registry holds every file still there, acknowledged to its end (and maybe the
    // deleted one, until its entry is cleaned up at a later scan).
    const registry = JSON.parse(readFileSync(join(dir, 'registry.json'), 'utf8')) as { entries: [string, string, number][] }
    const live = registry.entries.filter(([key, path]) => existsSync(path) && `${statSync(path).dev}:${statSync(path).ino}` === key)
    expect(live.map(([, path]) => path.split('/').pop()).sort()).toEqual(['app.log', 'app.log.1', 'app.log.2'])
    for (const [, path, offset] of live) expect(offset, path).toBe(statSync(path).size)
  })
})
