import { describe, it, expect } from 'vitest'
import { fileURLToPath } from 'node:url'
import type { ShipperStats } from 'logship'
import { startSink } from '../helpers/sink.js'
import { runFile } from '../helpers/child.js'
import { expectLedgerBalanced } from '../helpers/ledger.js'

const FIXTURE = fileURLToPath(new URL('../fixtures/exit/stats-at-exit.mjs', import.meta.url))
const SLOW_WORKER = fileURLToPath(new URL('../fixtures/exit/slow-worker-start.cjs', import.meta.url))

function statsLine(stdout: string): ShipperStats {
  const line = stdout.split('\n').find((l) => l.startsWith('STATS '))
  expect(line, stdout).toBeDefined()
  return JSON.parse(line!.slice('STATS '.length)) as ShipperStats
}

// The sink holds every request: what was queued or in flight at exit can only be lost, and
// must be counted once as dropped.shutdown, in stats() read by an 'exit' listener and in the
// one line on stderr.
describe('exit accounting', () => {
  it('SIGTERM: the process ends by the signal after saying once what was dropped at shutdown', async () => {
    const sink = await startSink()
    await sink.setMode({ stall: true })
    const result = await runFile(FIXTURE, [sink.url, 'sigterm', 'drop-newest', '3000'])
    expect(result.signal).toBe('SIGTERM')
    const lines = result.stderr.split('\n').filter((l) => /not delivered|not acknowledged/.test(l))
    expect(lines, result.stderr).toEqual([
      expect.stringMatching(/^logship: \d+ events were not delivered within closeTimeoutMs \(300 ms\) and were dropped \(counted as dropped\.shutdown\)/),
    ])
  })

  for (const [how, whenFull] of [
    ['exit', 'drop-newest'],
    ['throw', 'drop-newest'],
    ['exit', 'drop-oldest'],
  ] as const) {
    it(`${how} with ${whenFull}: what was not delivered is dropped.shutdown, counted once, said once`, async () => {
      const sink = await startSink()
      await sink.setMode({ stall: true })
      const result = await runFile(FIXTURE, [sink.url, how, whenFull, '3000'])
      const s = statsLine(result.stdout)
      expectLedgerBalanced(s)
      expect(s).toMatchObject({ received: 3000, acked: 0, queuedEvents: 0, inFlightEvents: 0 })
      expect(s.droppedByReason.shutdown).toBeGreaterThan(0)
      expect(s.droppedByReason.shutdown + s.droppedByReason.queue_full + s.droppedByReason.queue_full_oldest).toBe(3000)
      const lines = result.stderr.split('\n').filter((l) => l.startsWith('logship:') && /not delivered|not acknowledged/.test(l))
      expect(lines, result.stderr).toEqual([expect.stringContaining(`logship: ${s.droppedByReason.shutdown} events were not delivered`)])
    })
  }

  // The worker cannot answer at exit: still loading on a starved machine (late), or wedged
  // for longer than the exit waits for it (never). Its events are counted and said once.
  for (const [case_, busyMs] of [
    ['answers late', 2500],
    ['never answers', 20_000],
  ] as const) {
    it(`exit while the worker ${case_}: what it held is dropped.shutdown, counted once, said once`, async () => {
      const sink = await startSink()
      await sink.setMode({ stall: true })
      const result = await runFile(FIXTURE, [sink.url, 'exit', 'drop-newest', '3000'], { execArgv: ['--require', SLOW_WORKER], env: { SLOW_WORKER_MS: String(busyMs) } })
      const s = statsLine(result.stdout)
      expectLedgerBalanced(s)
      expect(s).toMatchObject({ received: 3000, acked: 0, queuedEvents: 0, inFlightEvents: 0 })
      expect(s.droppedByReason.shutdown).toBeGreaterThan(0)
      expect(s.droppedByReason.shutdown + s.droppedByReason.queue_full).toBe(3000)
      const lines = result.stderr.split('\n').filter((l) => l.startsWith('logship:') && /not delivered|not acknowledged/.test(l))
      expect(lines, result.stderr).toEqual([expect.stringContaining(`logship: ${s.droppedByReason.shutdown} events were not delivered`)])
    })
  }
})
