import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runFixture } from '../helpers/child.js'

// An object whose getters build a fresh object on every read is an endless tree that the
// "[Circular]" check never catches: write() used to encode it without end (2^100 values at
// depth 100), never returned, and the app grew until it ran out of memory.
describe('write() given an endless tree of getter-built objects', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })

  for (const withProcessors of [false, true]) {
    it(`returns, ships it as an Unserializable message and ships what follows${withProcessors ? ' (through processors)' : ''}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'logship-endless-'))
      dirs.push(dir)
      const path = join(dir, 'out.ndjson')
      const r = await runFixture('h1/endless-getters.mjs', { path, withProcessors }, { timeoutMs: 30_000 })
      expect(r.code, r.stderr).toBe(0)
      expect(JSON.parse(r.stdout)).toMatchObject({ received: 2, acked: 2, dropped: 0 })
      const shipped = readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>)
      expect(shipped).toHaveLength(2)
      expect(shipped[0]!.message).toMatch(/^\[Unserializable: TooLongError: its JSON would be longer than \d+ characters/)
      expect(shipped[1]).toMatchObject({ msg: 'after' })
    })
  }
})
