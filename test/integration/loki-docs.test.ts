import { afterEach, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { startFakeLoki, type FakeLoki } from '../helpers/fake-loki.js'
import { runScript } from '../helpers/child.js'

const DOC = fileURLToPath(new URL('../../docs/outputs/loki.md', import.meta.url))
let loki: FakeLoki

afterEach(async () => {
  await loki?.close()
})

describe('docs/outputs/loki.md', () => {
  it('the example runs as written against Loki, and the streams are what the page says', async () => {
    const blocks = [...readFileSync(DOC, 'utf8').matchAll(/```js loki-example\n([\s\S]*?)```/g)].map((m) => m[1]!)
    expect(blocks).toHaveLength(1)
    const code = blocks[0]!
    loki = await startFakeLoki({ tenants: true })
    const result = await runScript(code.replaceAll('http://127.0.0.1:3100', loki.url))
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const promised = [...code.matchAll(/console\.log\(.*\)\s*\/\/\s*(.+)$/gm)].map((m) => m[1]!.trim())
    expect(result.stdout.trim().split('\n')).toEqual(promised)
    const entries = loki.entries.map((e) => ({ stream: e.labelText, message: (JSON.parse(e.line) as { message: string }).message, metadata: e.metadata, tenant: e.tenant }))
    expect(entries.filter((e) => e.stream === '{app="checkout", level="info"}').map((e) => e.message)).toEqual(['cart opened', 'order placed'])
    expect(entries.filter((e) => e.stream === '{app="checkout", level="error"}').map((e) => e.message)).toEqual(['payment failed'])
    expect(entries.find((e) => e.message === 'order placed')!.metadata).toEqual({ trace_id: 'a1' })
    expect(entries.every((e) => e.tenant === 'team-a')).toBe(true)
  })
})
