import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runFixture } from '../helpers/child.js'
import { ROOT } from '../helpers/cli.js'

// The shipping worker inherits the app's preloads (`--require ./x.cjs`, `--import ./x.mjs`). A
// relative path is resolved by the worker against the working directory of the moment: an app
// that had changed it (process.chdir) got a worker that died at once ("Cannot find module
// './x.cjs'"), and nothing was shipped.
describe('an app started with a relative preload that then changes directory', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })

  const preloadSets: readonly (readonly string[])[] = [
    ['--require', './test/fixtures/h1/preload.cjs'],
    ['-r', './test/fixtures/h1/preload.cjs'],
    ['--import=./test/fixtures/h1/preload.cjs'],
    ['--import', './test/fixtures/h1/preload.cjs'],
  ]
  for (const flags of preloadSets) {
    it(`ships every event with ${flags.join(' ')}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'logship-preload-'))
      dirs.push(dir)
      const path = join(dir, 'out.ndjson')
      const r = await runFixture('h1/chdir-then-ship.mjs', { path, count: 3, cwd: dir }, { execArgv: flags })
      expect(r.code, r.stderr).toBe(0)
      expect(r.stderr).toBe('')
      expect(JSON.parse(r.stdout)).toMatchObject({ received: 3, acked: 3, dropped: 0 })
      expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(3)
    })
  }

  it('ships every event with NODE_OPTIONS=--require ./preload.cjs (the worker reads NODE_OPTIONS again)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logship-preload-'))
    dirs.push(dir)
    const path = join(dir, 'out.ndjson')
    const r = await runFixture('h1/chdir-then-ship.mjs', { path, count: 3, cwd: dir }, { env: { NODE_OPTIONS: '--require ./test/fixtures/h1/preload.cjs' } })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toMatchObject({ received: 3, acked: 3, dropped: 0 })
  })

  // Moved before logship was even loaded: the working directory at load is not where the
  // preload was found; the one the shell started the process in (PWD) is.
  for (const flags of [preloadSets[0]!, preloadSets[3]!]) {
    it(`ships every event with ${flags.join(' ')} when the app moved before loading logship`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'logship-preload-'))
      dirs.push(dir)
      const path = join(dir, 'out.ndjson')
      const r = await runFixture('h1/chdir-then-import.mjs', { path, count: 3, cwd: dir }, { execArgv: flags, env: { PWD: ROOT } })
      expect(r.code, r.stderr).toBe(0)
      expect(r.stderr).toBe('')
      expect(JSON.parse(r.stdout)).toMatchObject({ received: 3, acked: 3, dropped: 0 })
    })
  }
})
