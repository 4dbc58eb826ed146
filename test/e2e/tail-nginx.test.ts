import { describe, it, expect } from 'vitest'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { startCli, tempDir, writeConfig, readNdjson, exactlyOnceProblems, type ShippedLine } from '../helpers/cli.js'
import { startNginx, logrotate, load } from '../helpers/nginx-rotate.js'
import { waitFor } from '../helpers/wait.js'
import { missingSoftware } from '../helpers/system-software.js'

const PER_PHASE = 1500

function requestCounts(out: string): Map<number, number> {
  const counts = new Map<number, number>()
  for (const e of readNdjson<ShippedLine>(out).events) {
    const m = /"GET \/r\/(\d+) HTTP/.exec(e.message)
    if (m) counts.set(Number(m[1]), (counts.get(Number(m[1])) ?? 0) + 1)
  }
  return counts
}

const MISSING = missingSoftware('nginx + logrotate rotation', ['nginx', 'logrotate'])

describe.skipIf(MISSING)('a real nginx rotated by the real logrotate', () => {
  it('ships every request line once through logrotate create and copytruncate', async () => {
    const dir = tempDir('nginx')
    const nginx = await startNginx(dir)
    const out = join(dir, 'out.ndjson')
    const cfg = writeConfig(
      dir,
      `inputs:
  - type: file
    paths: ['${dir}/logs/access.log*']
    excludeFiles: ['\\.gz$']
    scanIntervalMs: 100
output: { type: file, path: ${out} }
batch: { flushMs: 50 }
registry: { path: ${dir}/registry.json, flushMs: 200 }
`,
    )
    const logship = startCli(['run', '-c', cfg])
    const shipped = (n: number) => waitFor(() => requestCounts(out).size >= n, `${n} requests shipped`, 40_000, 200)

    await load(nginx.port, 0, PER_PHASE)
    await shipped(PER_PHASE)
    logrotate(dir, nginx.accessLog, nginx.pidFile, 'create') // access.log -> access.log.1, nginx reopens (USR1)

    await load(nginx.port, PER_PHASE, PER_PHASE)
    await shipped(2 * PER_PHASE)
    logrotate(dir, nginx.accessLog, nginx.pidFile, 'copytruncate') // access.log.1 -> .2, copy access.log -> .1, truncate

    await load(nginx.port, 2 * PER_PHASE, PER_PHASE)
    await shipped(3 * PER_PHASE)
    // Let a few scans pass: a late duplicate (a copy read twice) would show up here.
    await new Promise((r) => setTimeout(r, 1000))
    await logship.signal('SIGTERM')
    expect((await logship.exited).code, logship.stderr()).toBe(0)

    expect(
      readdirSync(join(dir, 'logs'))
        .filter((f) => f.startsWith('access.log'))
        .sort(),
    ).toEqual(['access.log', 'access.log.1', 'access.log.2'])
    expect(exactlyOnceProblems(requestCounts(out), 3 * PER_PHASE), logship.stderr()).toEqual({ missing: [], duplicated: [], extra: [] })
    const sample = readNdjson<ShippedLine>(out).events.find((e) => e.message.includes('GET /r/42 '))!
    expect(sample.message).toMatch(/^127\.0\.0\.1 - - \[.+\] "GET \/r\/42 HTTP\/1\.1" 200 3 "-" ".+"$/)
    expect(sample.log.file!.path).toMatch(/access\.log(\.\d)?$/)
  })
})
