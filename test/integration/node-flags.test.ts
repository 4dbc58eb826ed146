import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runFixture } from '../helpers/child.js'

// `new Worker` refuses Node's per-process flags in execArgv (ERR_WORKER_INVALID_EXEC_ARGV):
// an app started with any of them must still get a shipper, not an exception from createShipper().
describe('node started with flags a worker thread cannot take', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })

  const flagSets: readonly (readonly string[])[] = [
    ['--expose-gc'],
    ['--title=logship-test-app', '--zero-fill-buffers', '--disable-proto=throw'],
    ['--abort-on-uncaught-exception', '--trace-gc-ignore-scavenger', '--v8-pool-size=2'],
    ['--title', 'spaced-value', '--expose-gc', '--max-semi-space-size=2', '--enable-source-maps'],
  ]
  for (const flags of flagSets) {
    it(`ships every event with ${flags.join(' ')}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'logship-node-flags-'))
      dirs.push(dir)
      const path = join(dir, 'out.ndjson')
      const r = await runFixture('child/ship-to-file.mjs', { path, count: 5 }, { execArgv: flags })
      expect(r.code, r.stderr).toBe(0)
      expect(JSON.parse(r.stdout)).toMatchObject({ received: 5, acked: 5, dropped: 0 })
      const shipped = readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { i: number }).i)
      expect(shipped).toEqual([0, 1, 2, 3, 4])
    })
  }
})
