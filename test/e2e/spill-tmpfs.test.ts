import { describe, it, expect, afterAll } from 'vitest'
import { spawn } from 'node:child_process'
import { mkdirSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createShipper, type ShipperStats } from 'logship'
import { startSink } from '../helpers/sink.js'
import { expectLedgerBalanced } from '../helpers/ledger.js'
import { mountSmallDisk, unmountSmallDisk } from '../helpers/tmpfs.js'
import { waitFor } from '../helpers/wait.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const SCRIPT = fileURLToPath(new URL('../fixtures/spill/tmpfs-writer.mjs', import.meta.url))
const SUITE = 'spill on a real 2 MiB tmpfs'

const disk = mountSmallDisk('2m', SUITE, 'spill-tmpfs')
afterAll(() => unmountSmallDisk(disk))

interface Result {
  accepted: number[]
  stats: ShipperStats
  errors: string[]
}

describe.skipIf(!disk)(SUITE, () => {
  it('disk full mid-frame while the sink stalls, space back once it acknowledges: every accepted record delivered once, every refused one counted', async () => {
    const dir = join(disk!, 'spill')
    const sink = await startSink()
    await sink.setMode({ stall: true })
    const child = spawn(process.execPath, [SCRIPT], {
      cwd: ROOT,
      env: { ...process.env, LOGSHIP_TEST_SPILL: JSON.stringify({ url: sink.url, dir, thread: 'worker', first: 3000, second: 500 }) },
      stdio: ['pipe', 'pipe', 'inherit'],
    })
    let out = ''
    const waiters: (() => void)[] = []
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d
      for (const w of [...waiters]) w()
    })
    const said = (what: RegExp): Promise<string> =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const m = what.exec(out)
          if (m) resolve(m[1]!)
        }
        waiters.push(check)
        child.once('exit', (code) => reject(new Error(`the writer exited (${code}): ${out.slice(0, 2000)}`)))
        check()
      })
    const first = JSON.parse(await said(/^WROTE1 (.*)\n/m)) as number[]
    expect(first.length).toBeGreaterThan(0)
    expect(first.length).toBeLessThan(3000) // ~3 MB does not fit in 2 MiB
    await sink.setMode({ stall: false })
    child.stdin.write('go\n')
    const result = JSON.parse(await said(/^RESULT (.*)\n/m)) as Result
    expect(
      result.accepted.filter((id) => id >= 3000),
      JSON.stringify({ errors: result.errors.slice(-3), stats: result.stats }),
    ).toHaveLength(500) // space came back
    expect(result.errors.some((m) => /ENOSPC/.test(m))).toBe(true)
    expect(result.stats.droppedByReason.spill_full).toBe(3500 - result.accepted.length)
    expect(result.stats.droppedByReason.corrupt).toBe(0)
    expect((await sink.events()).map((e) => e.id)).toEqual(result.accepted)
    expectLedgerBalanced(result.stats)
  })

  it('a full disk at start-up: createShipper fails with the reason, leaving no lock or temp file and no open file behind', async () => {
    const dir = join(disk!, 'full')
    mkdirSync(dir)
    let filler = 0
    try {
      for (;;) writeFileSync(join(disk!, `filler-${filler++}`), Buffer.alloc(64 * 1024))
    } catch {
      // the disk is full now
    }
    try {
      const fds = readdirSync('/proc/self/fd').length
      expect(() => createShipper({ output: { type: 'http', url: 'http://127.0.0.1:9/ingest' }, handleExit: false, queue: { durable: true, spill: { dir } } })).toThrow(
        /cannot lock spill dir .*ENOSPC.*free disk space/,
      )
      expect(readdirSync(dir)).toEqual([])
      // the shipping worker, started before the options were checked, ends asynchronously and
      // closes its own descriptors then (its event loop's); a leaked spill file would stay open
      // (meanwhile other descriptors of this test process may close: not more than before, then)
      await waitFor(() => readdirSync('/proc/self/fd').length <= fds, 'the worker started for these options to end', 5000).catch(() => undefined)
      expect(readdirSync('/proc/self/fd').length).toBeLessThanOrEqual(fds)
      const openInDir = readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir)
        } catch {
          return false // closed meanwhile
        }
      })
      expect(openInDir).toEqual([])
    } finally {
      for (let i = 0; i < filler; i++) rmSync(join(disk!, `filler-${i}`), { force: true })
    }
  })
})
