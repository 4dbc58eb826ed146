import { describe, it, expect } from 'vitest'
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { startFakeLogstash, userEvents } from '../helpers/fake-logstash.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** The first ```js block after the marker in docs/outputs/logstash.md. */
function docExample(): string {
  const doc = readFileSync(`${root}docs/outputs/logstash.md`, 'utf8')
  const after = doc.slice(doc.indexOf('<!-- example: this block runs in test/integration/logstash-docs.test.ts -->'))
  const match = /```js\n([\s\S]*?)```/.exec(after)
  if (!match) throw new Error('no example block in docs/outputs/logstash.md')
  return match[1]!
}

describe('docs/outputs/logstash.md', () => {
  it('runs the example as written, against a Lumberjack server', async () => {
    const fake = await startFakeLogstash()
    const source = docExample()
    expect(source).toContain("hosts: ['127.0.0.1:5044']")
    // the only change: the port of the test server instead of 5044
    mkdirSync(`${root}.tmp`, { recursive: true })
    const file = `${root}.tmp/logstash-doc-example.mjs`
    writeFileSync(file, source.replace('127.0.0.1:5044', fake.address))
    const { stderr } = await promisify(execFile)(process.execPath, [file], { cwd: root, timeout: 30_000 })
    expect(stderr).toBe('')
    const events = userEvents(await fake.state())
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ message: 'user signed in', user: { id: 42 } })
    expect(typeof events[0]!['@timestamp']).toBe('string')
  })
})
