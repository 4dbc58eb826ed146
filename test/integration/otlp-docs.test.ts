import { afterEach, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { fileURLToPath } from 'node:url'
import { startFakeOtlp, type FakeOtlp } from '../helpers/fake-otlp.js'
import { runScript } from '../helpers/child.js'

const DOC = fileURLToPath(new URL('../../docs/outputs/otlp.md', import.meta.url))
let otlp: FakeOtlp

afterEach(async () => {
  await otlp?.close()
})

describe('docs/outputs/otlp.md', () => {
  it('the example runs as written against an OTLP/HTTP collector, and the records are what the page says', async () => {
    const blocks = [...readFileSync(DOC, 'utf8').matchAll(/```js otlp-example\n([\s\S]*?)```/g)].map((m) => m[1]!)
    expect(blocks).toHaveLength(1)
    const code = blocks[0]!
    otlp = await startFakeOtlp()
    const result = await runScript(code.replaceAll('http://127.0.0.1:4318', otlp.url))
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const promised = [...code.matchAll(/console\.log\(.*\)\s*\/\/\s*(.+)$/gm)].map((m) => m[1]!.trim())
    expect(result.stdout.trim().split('\n')).toEqual(promised)
    expect(otlp.requests.every((r) => r.headers['x-api-key'] === 'secret')).toBe(true)
    const resource = { 'service.name': 'checkout', 'deployment.environment': 'prod', 'host.name': hostname() }
    expect(otlp.logs).toEqual([
      expect.objectContaining({ timeUnixNano: '1741944413589000000', severityNumber: 9, severityText: 'info', body: 'order placed', attributes: { 'order.id': 42 }, resource }),
      expect.objectContaining({
        severityNumber: 17,
        severityText: 'error',
        body: 'payment failed',
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        spanId: '00f067aa0ba902b7',
        resource,
      }),
    ])
    expect(otlp.logs[0]!.scope.name).toBe('logship')
  })
})
