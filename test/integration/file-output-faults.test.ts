import { describe, expect, it, onTestFinished } from 'vitest'
import { execFileSync } from 'node:child_process'
import { closeSync, constants, mkdtempSync, openSync, readFileSync, renameSync, unlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createShipper, type LogshipError, type ShipperOptions } from 'logship'
import { startSink } from '../helpers/sink.js'
import { expectLedgerBalanced } from '../helpers/ledger.js'
import { waitFor } from '../helpers/wait.js'

const fast = { batch: { maxEvents: 20, flushMs: 5 }, retry: { initialDelayMs: 5, maxDelayMs: 50 }, closeTimeoutMs: 1_000, handleExit: false }
const scratch = (): string => mkdtempSync(join(tmpdir(), 'logship-file-out-'))

/** The `n` of every line of an NDJSON file (each line must parse). */
function linesOf(path: string): number[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => (JSON.parse(l) as { n: number }).n)
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i)

/** A FIFO nobody reads: opening it for writing (without O_NONBLOCK) waits for a reader forever. */
function fifoWithoutReader(dir: string, name: string): string {
  const path = join(dir, name)
  execFileSync('mkfifo', ['-m', '600', path])
  // if logship's open is stuck on it, a reader set it free, so the test process can end
  onTestFinished(() => closeSync(openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)))
  return path
}

describe('file output: the file changes underneath', () => {
  it('deleted while logship writes: the file is created again and the events after the deletion land in it (not in the unlinked inode)', async () => {
    const path = join(scratch(), 'out.ndjson')
    const shipper = createShipper({ output: { type: 'file', path }, ...fast })
    for (const n of range(0, 30)) shipper.write({ n })
    await shipper.flush()
    unlinkSync(path)
    for (const n of range(30, 60)) shipper.write({ n })
    await shipper.flush()
    await shipper.close()
    expect(linesOf(path)).toEqual(range(30, 60))
    expect(shipper.stats()).toMatchObject({ acked: 60, failed: 0 })
  })

  it('renamed away (logrotate without copytruncate): the new events go to a new file at the path, the old file keeps the old ones', async () => {
    const path = join(scratch(), 'out.ndjson')
    const shipper = createShipper({ output: { type: 'file', path }, ...fast })
    for (const n of range(0, 30)) shipper.write({ n })
    await shipper.flush()
    renameSync(path, `${path}.1`)
    for (const n of range(30, 60)) shipper.write({ n })
    await shipper.flush()
    await shipper.close()
    expect(linesOf(`${path}.1`)).toEqual(range(0, 30))
    expect(linesOf(path)).toEqual(range(30, 60))
  })
})

describe('file output and dead-letter file at a path that is a FIFO: refused, never waited on', () => {
  for (const thread of ['worker', 'main'] as const) {
    it(`thread: ${thread}: the file output says the path is not a regular file; close() returns and counts what it could not write`, { timeout: 20_000 }, async () => {
      const path = fifoWithoutReader(scratch(), 'out.ndjson')
      const shipper = createShipper({ output: { type: 'file', path }, thread, ...fast } as ShipperOptions)
      const errors: LogshipError[] = []
      shipper.on('error', (e) => errors.push(e))
      for (const n of range(0, 10)) shipper.write({ n })
      await waitFor(() => errors.some((e) => /out\.ndjson is not a regular file/.test(e.message)), 'an error saying the path is not a regular file', 10_000)
      await shipper.close()
      const stats = shipper.stats()
      expect(stats.acked).toBe(0)
      expectLedgerBalanced(stats)
    })

    it(`thread: ${thread}: a dead-letter path that is a FIFO is refused with the reason; the app's thread and close() go on`, { timeout: 20_000 }, async () => {
      const sink = await startSink()
      await sink.setMode({ failStatus: 404, failNext: -1 })
      const path = fifoWithoutReader(scratch(), 'dead.ndjson')
      const shipper = createShipper({ output: { type: 'http', url: sink.url }, deadLetter: { path }, thread, ...fast } as ShipperOptions)
      const errors: LogshipError[] = []
      shipper.on('error', (e) => errors.push(e))
      for (const n of range(0, 10)) shipper.write({ n })
      await waitFor(() => errors.some((e) => /dead\.ndjson is not a regular file/.test(e.message)), 'an error saying the dead-letter path is not a regular file', 10_000)
      await shipper.close()
      const stats = shipper.stats()
      expect(stats.failed).toBe(10)
      expectLedgerBalanced(stats)
    })
  }
})

describe('file output: the path names a directory', () => {
  it('the error says it is a directory and what to set, and the events wait', async () => {
    const dir = scratch()
    const shipper = createShipper({ output: { type: 'file', path: dir }, ...fast })
    const errors: LogshipError[] = []
    shipper.on('error', (e) => errors.push(e))
    shipper.write({ n: 0 })
    await waitFor(() => errors.length > 0, 'an error')
    expect(errors[0]!.message).toMatch(/is a directory.*output\.path/)
    expect(errors[0]!.message).not.toMatch(/check the directory exists/)
    await shipper.close()
  })
})
