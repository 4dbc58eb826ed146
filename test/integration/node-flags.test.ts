import { describe, expect, it } from 'vitest'
import { shipToFileInChild } from '../helpers/child.js'

// `new Worker` refuses Node's per-process flags in execArgv (ERR_WORKER_INVALID_EXEC_ARGV):
// an app started with any of them must still get a shipper, not an exception from createShipper().
describe('node started with flags a worker thread cannot take', () => {
  const flagSets: readonly (readonly string[])[] = [
    ['--expose-gc'],
    ['--title=logship-test-app', '--zero-fill-buffers', '--disable-proto=throw'],
    ['--abort-on-uncaught-exception', '--trace-gc-ignore-scavenger', '--v8-pool-size=2'],
    ['--title', 'spaced-value', '--expose-gc', '--max-semi-space-size=2', '--enable-source-maps'],
  ]
  for (const flags of flagSets) {
    it(`ships every event with ${flags.join(' ')}`, async () => {
      const { result: r, shipped } = await shipToFileInChild(flags)
      expect(r.code, r.stderr).toBe(0)
      expect(JSON.parse(r.stdout)).toMatchObject({ received: 5, acked: 5, dropped: 0 })
      expect(shipped).toEqual([0, 1, 2, 3, 4])
    })
  }
})
