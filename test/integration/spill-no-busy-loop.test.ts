import { describe, it, expect } from 'vitest'
import { mkdtempSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSpillChild } from '../helpers/spill-child.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const DOWN = 'http://127.0.0.1:9/ingest' // nothing listens: connections are refused

describe('an engine with work it cannot make progress on does not spin', () => {
  for (const thread of ['worker', 'main'] as const) {
    it(`thread: ${thread}: segments deleted under a running shipper: the app's timers fire, health() answers, close() returns`, async () => {
      mkdirSync(join(ROOT, '.tmp'), { recursive: true })
      const dir = join(mkdtempSync(join(ROOT, '.tmp', 'spill-spin-')), 'spill')
      const child = startSpillChild({ url: DOWN, dir, thread }, 30_000, 'missing-segments.mjs')
      const result = await child.result
      expect(result.ticksDuringFlush).toBeGreaterThanOrEqual(20)
      expect(result.health).toHaveLength(1)
    })
  }
})
