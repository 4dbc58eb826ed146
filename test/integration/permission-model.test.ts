import { describe, expect, it } from 'vitest'
import { shipToFileInChild } from '../helpers/child.js'

/** Node 20 and 22 name the permission model `--experimental-permission`; 23.5+ take `--permission`. */
const PERMISSION_FLAG = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission'

// Under Node's permission model without --allow-worker, `new Worker` throws ERR_ACCESS_DENIED:
// createShipper() threw it at the app instead of shipping.
describe('node started with the permission model and no --allow-worker', () => {
  it('ships every event from the app thread and says how to get the worker back', async () => {
    const { result: r, shipped } = await shipToFileInChild([PERMISSION_FLAG, '--allow-fs-read=*', '--allow-fs-write=*'])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ received: 5, acked: 5, dropped: 0 })
    expect(shipped).toEqual([0, 1, 2, 3, 4])
    expect(r.stderr).toMatch(/logship: warning: .*permission model.*--allow-worker.*thread: 'main'/)
  })
})
