import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createShipper } from '../../src/index.js'

// thread: 'main' loads the output's implementation asynchronously; these are the moments
// before it runs.
describe("thread: 'main' while the output is loading", () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })
  const outFile = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'logship-main-start-'))
    dirs.push(dir)
    return join(dir, 'out.ndjson')
  }

  it('events written before the output has loaded are shipped, and the name is known at once', async () => {
    const path = outFile()
    const shipper = createShipper({ output: { type: 'file', path }, thread: 'main', handleExit: false })
    expect(shipper.outputName).toBe(`file(${path})`)
    for (let i = 0; i < 3; i++) expect(shipper.write({ i })).toBe(true)
    await shipper.flush()
    expect(await shipper.health()).toHaveLength(1)
    await shipper.close()
    expect(
      readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).i),
    ).toEqual([0, 1, 2])
    expect(shipper.stats()).toMatchObject({ received: 3, acked: 3, dropped: 0, queuedEvents: 0 })
  })

  it('an exit before the output has loaded counts every queued event as dropped.shutdown, once, and ships nothing after', async () => {
    const path = outFile()
    const shipper = createShipper({ output: { type: 'file', path }, thread: 'main', handleExit: false })
    const errors: string[] = []
    shipper.on('error', (e) => errors.push(e.code))
    for (let i = 0; i < 3; i++) shipper.write({ i })
    shipper.abandonSync()
    expect(shipper.stats()).toMatchObject({ received: 3, acked: 0, dropped: 3, droppedByReason: { shutdown: 3 }, queuedEvents: 0, inFlightEvents: 0 })
    await shipper.close()
    expect(shipper.stats()).toMatchObject({ received: 3, acked: 0, dropped: 3, droppedByReason: { shutdown: 3 } })
    expect(errors).toEqual(['LOGSHIP_ERR_SHUTDOWN'])
    expect(existsSync(path) ? readFileSync(path, 'utf8') : '').toBe('')
  })

  it('an output that cannot start says so in an error event, and close() counts what was queued as dropped.shutdown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logship-main-start-'))
    dirs.push(dir)
    const ca = join(dir, 'ca.pem')
    writeFileSync(ca, 'not read before the output loads')
    const shipper = createShipper({ output: { type: 'http', url: 'https://127.0.0.1:9/ingest', tls: { ca } }, thread: 'main', handleExit: false })
    const errors: string[] = []
    shipper.on('error', (e) => errors.push(`${e.code}: ${e.message}`))
    rmSync(ca) // the CA file disappears before the output reads it
    for (let i = 0; i < 2; i++) shipper.write({ i })
    await shipper.close()
    expect(errors[0]).toMatch(/^LOGSHIP_ERR_WORKER: the output could not start: tls\.ca: cannot read the PEM file .*ENOENT/)
    expect(shipper.stats()).toMatchObject({ received: 2, acked: 0, dropped: 2, droppedByReason: { shutdown: 2 }, queuedEvents: 0 })
  })
})
