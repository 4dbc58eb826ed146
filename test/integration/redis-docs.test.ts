import { describe, it, expect } from 'vitest'
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { missingSoftware } from '../helpers/system-software.js'
import { startRedisServer } from '../helpers/redis.js'
import { tempDir } from '../helpers/cli.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const skip = missingSoftware('docs/outputs/redis.md example (real redis-server)', ['redis-server'])

/** The first ```js block after the marker in docs/outputs/redis.md. */
function docExample(): string {
  const doc = readFileSync(`${root}docs/outputs/redis.md`, 'utf8')
  const after = doc.slice(doc.indexOf('<!-- example: this block runs in test/integration/redis-docs.test.ts -->'))
  const match = /```js\n([\s\S]*?)```/.exec(after)
  if (!match) throw new Error('no example block in docs/outputs/redis.md')
  return match[1]!
}

describe.skipIf(skip)('docs/outputs/redis.md', () => {
  it('runs the example as written, against a real redis-server', async () => {
    const redis = await startRedisServer(tempDir('redis-docs'))
    const source = docExample()
    expect(source).toContain("url: 'redis://127.0.0.1:6379'")
    // the only change: the port of the test server instead of 6379
    mkdirSync(`${root}.tmp`, { recursive: true })
    const file = `${root}.tmp/redis-doc-example.mjs`
    writeFileSync(file, source.replace('redis://127.0.0.1:6379', redis.url))
    const { stderr } = await promisify(execFile)(process.execPath, [file], { cwd: root, timeout: 30_000 })
    expect(stderr).toBe('')
    const stored = (await redis.admin().lrange('logs', 0, -1)).map((text) => JSON.parse(text) as Record<string, unknown>)
    expect(stored).toHaveLength(1)
    expect(stored[0]).toMatchObject({ message: 'user signed in', user: { id: 42 } })
    expect(typeof stored[0]!['@timestamp']).toBe('string')
  })
})
