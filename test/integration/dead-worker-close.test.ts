import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createShipper } from 'logship'

// When the shipping worker died (its output could not start), close() resolved with the
// events still counted as queued: never delivered, never counted as lost, and no
// LOGSHIP_ERR_SHUTDOWN line. abandonSync() and thread: 'main' counted them; close() did not.
describe('close() after the shipping worker died', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })

  it('counts what was queued as dropped.shutdown and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logship-dead-worker-'))
    dirs.push(dir)
    const ca = join(dir, 'ca.pem')
    writeFileSync(ca, 'not read before the output loads')
    const shipper = createShipper({ output: { type: 'http', url: 'https://127.0.0.1:9/ingest', tls: { ca } }, handleExit: false })
    const errors: string[] = []
    shipper.on('error', (e) => errors.push(`${e.code}: ${e.message}`))
    rmSync(ca) // the CA file disappears before the worker's output reads it
    for (let i = 0; i < 2; i++) shipper.write({ i })
    await shipper.close()
    expect(
      errors.some((e) => /^LOGSHIP_ERR_WORKER: .*tls\.ca: cannot read the PEM file .*ENOENT/.test(e)),
      errors.join('\n'),
    ).toBe(true)
    expect(shipper.stats()).toMatchObject({ received: 2, acked: 0, dropped: 2, droppedByReason: { shutdown: 2 }, queuedEvents: 0, inFlightEvents: 0 })
    const shutdown = errors.filter((e) => e.startsWith('LOGSHIP_ERR_SHUTDOWN: 2 events'))
    expect(shutdown).toHaveLength(1)
    // why they were lost: the output never started, not a close that ran out of time
    expect(shutdown[0]).toMatch(/the shipper had stopped shipping \(tls\.ca: cannot read the PEM file/)
    expect(shutdown[0]).not.toMatch(/raise closeTimeoutMs/)
  })
})
