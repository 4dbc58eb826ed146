import { describe, it, expect } from 'vitest'
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { startCli, tempDir, writeConfig, readNdjson, countIds, type ShippedLine } from '../helpers/cli.js'
import { LineWriter } from '../helpers/writer.js'
import { waitFor } from '../helpers/wait.js'
import { LOGROTATE } from '../helpers/nginx-rotate.js'
import { missingSoftware } from '../helpers/system-software.js'

const RATE = 3_000
const ROTATIONS = 4 // repeated: copies renamed again (.1 → .2 → .3) while logship runs
/** Lines between rotations: 2.5 s of the writer. */
const EVERY = 7_500
const TOTAL = EVERY * (ROTATIONS + 1)

interface Scheme {
  name: string
  /** logrotate directives besides `rotate 100` and `missingok`. */
  directives: string
  /** The writer opens the path again after each rotation (`create`: the app is told to reopen). */
  reopen: boolean
  /** Rotated copies go to a directory outside the glob. */
  olddir?: boolean
  /**
   * copytruncate + compress without delaycompress gzips the copy at once: lines logship had
   * not read from the original before the truncation exist only in the .gz (excluded), so
   * only the uncompressed files say what must be shipped.
   */
  gzippedAtOnce?: boolean
}

const SCHEMES: Scheme[] = [
  { name: 'copytruncate, nocompress', directives: 'copytruncate\n  nocompress', reopen: false },
  { name: 'copytruncate, compress + delaycompress', directives: 'copytruncate\n  compress\n  delaycompress', reopen: false },
  { name: 'copytruncate, compress', directives: 'copytruncate\n  compress', reopen: false, gzippedAtOnce: true },
  { name: 'copytruncate, dateext', directives: 'copytruncate\n  dateext\n  dateformat -%s\n  nocompress', reopen: false },
  { name: 'create', directives: 'create\n  nocompress', reopen: true },
  { name: 'create, compress + delaycompress', directives: 'create\n  compress\n  delaycompress', reopen: true },
  { name: 'copy (the original keeps growing)', directives: 'copy\n  nocompress', reopen: false },
  { name: 'create, olddir outside the glob', directives: 'create\n  nocompress', reopen: true, olddir: true },
]

/** Every `id=` present in the files logrotate left (gzip ones unpacked): what a reader could have seen. */
function idsOnDisk(dirs: string[], gzipped = true): Set<number> {
  const ids = new Set<number>()
  for (const dir of dirs) {
    for (const name of readdirSync(dir)) {
      if (!name.startsWith('app.log') || (!gzipped && name.endsWith('.gz'))) continue
      const raw = readFileSync(join(dir, name))
      const text = (name.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8')
      for (const m of text.matchAll(/id=(\d+)/g)) ids.add(Number(m[1]))
    }
  }
  return ids
}

const MISSING = missingSoftware('logrotate schemes', ['logrotate'])

describe.skipIf(MISSING)('real logrotate every 2.5 s under a writer of 3,000 lines/s', () => {
  it.each(SCHEMES)('$name: each line is shipped exactly once', async (scheme) => {
    const dir = tempDir('logrotate')
    const log = join(dir, 'app.log')
    const out = join(dir, 'out.ndjson')
    const old = join(dir, 'old')
    if (scheme.olddir) mkdirSync(old)
    const conf = join(dir, 'logrotate.conf')
    writeFileSync(conf, `${log} {\n  rotate 100\n  missingok\n  ${scheme.directives}\n${scheme.olddir ? `  olddir ${old}\n` : ''}}\n`, { mode: 0o644 })
    const cfg = writeConfig(
      dir,
      `inputs:
  - type: file
    paths: ['${dir}/app.log*']
    excludeFiles: ['\\.gz$']
    scanIntervalMs: 250
output: { type: file, path: ${out} }
batch: { flushMs: 50 }
registry: { path: ${dir}/registry.json, flushMs: 200 }
`,
    )
    const logship = startCli(['run', '-c', cfg])
    await logship.ready
    const writer = new LineWriter(log, TOTAL, RATE)
    for (let r = 1; r <= ROTATIONS; r++) {
      await writer.reach(EVERY * r)
      execFileSync(LOGROTATE, ['-f', '-s', join(dir, 'logrotate.state'), conf], { stdio: 'inherit' })
      if (scheme.reopen) writer.reopen()
    }
    await writer.finished()

    // Lines logrotate left on disk (copytruncate loses the few written between its copy and
    // its truncation; logship may still have read them from the original before it).
    const onDisk = idsOnDisk(scheme.olddir ? [dir, old] : [dir], !scheme.gzippedAtOnce)
    const shippedIds = (): Map<number, number> => countIds(readNdjson<ShippedLine>(out).events)
    await waitFor(
      () => {
        const shipped = shippedIds()
        return [...onDisk].every((id) => shipped.has(id))
      },
      'every line on disk to be shipped',
      40_000,
      250,
    )
    logship.child.kill('SIGTERM')
    expect((await logship.exited).code, logship.stderr()).toBe(0)

    const counts = shippedIds()
    const duplicated = [...counts].filter(([, n]) => n > 1).map(([id]) => id)
    const missing = [...onDisk].filter((id) => !counts.has(id))
    expect({ duplicates: duplicated.length, firstDuplicates: duplicated.slice(0, 10), missing: missing.slice(0, 10) }, logship.stderr()).toEqual({
      duplicates: 0,
      firstDuplicates: [],
      missing: [],
    })
    // Nothing was shipped that was never written.
    expect([...counts.keys()].filter((id) => id < 0 || id >= TOTAL)).toEqual([])
    // The gap copytruncate itself leaves is small: lines written in the instant between its copy and its truncation
    // (and, when the copy is gzipped at once, the few the reader was behind by).
    expect(TOTAL - counts.size).toBeLessThan(ROTATIONS * (scheme.gzippedAtOnce ? 500 : 50))
  })
})
