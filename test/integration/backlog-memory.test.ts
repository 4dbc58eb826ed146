import { describe, expect, it } from 'vitest'
import { runFixture } from '../helpers/child.js'
import { silentServer } from '../helpers/silent-server.js'

// A sink that falls behind leaves a backlog in the queue. Those events already sit in the
// queue's shared memory: the engine must not also keep per-event bookkeeping for all of them,
// or its heap grows with the backlog (about 40 bytes per event in five arrays, 8 MB for 200k).
describe('a backlog waiting for a stuck sink', () => {
  it('does not grow the engine heap with the number of events waiting', async () => {
    const sink = await silentServer()
    const events = 200_000
    const r = await runFixture('child/backlog-heap.mjs', { url: sink.url, events }, { execArgv: ['--expose-gc'] })
    expect(r.code, r.stderr).toBe(0)
    const { growth, queuedEvents } = JSON.parse(r.stdout) as { growth: number; queuedEvents: number }
    expect(queuedEvents).toBeGreaterThan(events) // all of them still waiting, none dropped
    expect(growth).toBeLessThan(2 * 1024 * 1024)
  })
})
