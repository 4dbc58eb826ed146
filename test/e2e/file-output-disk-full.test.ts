import { describe, it, expect, afterAll } from 'vitest'
import { readFileSync, statfsSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createShipper, type LogshipError } from 'logship'
import { expectLedgerBalanced } from '../helpers/ledger.js'
import { waitFor } from '../helpers/wait.js'
import { mountSmallDisk, unmountSmallDisk } from '../helpers/tmpfs.js'

const SUITE = 'file output on a real 256 KiB tmpfs'

const disk = mountSmallDisk('256k', SUITE, 'file-output-disk-full')
afterAll(() => unmountSmallDisk(disk))

describe.skipIf(!disk)(SUITE, () => {
  it('the disk fills in the middle of a batch (a short write, then ENOSPC) and frees again: every line whole, every event once', async () => {
    const path = join(disk!, 'out.ndjson')
    const filler = join(disk!, 'filler')
    // leave room for about a third of the events, ending in the middle of some line
    const { bavail, bsize } = statfsSync(disk!)
    writeFileSync(filler, Buffer.alloc(bavail * bsize - 3 * 4096))
    const shipper = createShipper({
      output: { type: 'file', path },
      batch: { maxEvents: 25, flushMs: 5 },
      retry: { initialDelayMs: 5, maxDelayMs: 50 },
      handleExit: false,
    })
    const errors: LogshipError[] = []
    shipper.on('error', (e) => errors.push(e))
    const count = 300
    for (let n = 0; n < count; n++) shipper.write({ n, pad: 'x'.repeat(n % 97) })
    await waitFor(() => errors.some((e) => /ENOSPC/.test(e.message)), 'an ENOSPC error')
    unlinkSync(filler)
    await shipper.flush()
    await shipper.close()
    const lines = readFileSync(path, 'utf8').split('\n')
    expect(lines.pop()).toBe('') // ends with a newline
    const torn = lines.filter((line) => {
      try {
        JSON.parse(line)
        return false
      } catch {
        return true
      }
    })
    expect(torn).toEqual([])
    expect(lines.map((l) => (JSON.parse(l) as { n: number }).n)).toEqual(Array.from({ length: count }, (_, n) => n))
    expect(shipper.stats()).toMatchObject({ acked: count, failed: 0 })
    expectLedgerBalanced(shipper.stats())
  })
})
