import { describe, it, expect } from 'vitest'
import { join } from 'node:path'
import { startCli, tempDir, writeConfig, readNdjson } from '../helpers/cli.js'
import { startNginx } from '../helpers/nginx.js'
import { waitFor } from '../helpers/wait.js'
import { missingSoftware } from '../helpers/system-software.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>

/**
 * The nginx module end to end: a real nginx serves requests on 127.0.0.1 while `logship run`
 * (with `modules: [{ module: nginx }]`) tails its access and error logs as they are written and
 * ships them as ECS documents.
 */
const MISSING = missingSoftware('nginx module e2e', ['nginx'])

describe.skipIf(MISSING)('nginx module, end to end', () => {
  it('ships the access and error logs of a live nginx as ECS documents, as they are written', async () => {
    const dir = tempDir('nginx-module')
    const nginx = await startNginx(dir)
    const out = join(dir, 'out.ndjson')
    const cfg = writeConfig(
      dir,
      `modules:
  - module: nginx
    access: { paths: ['${nginx.accessLog}'], input: { scanIntervalMs: 100 } }
    error: { paths: ['${nginx.errorLog}'], input: { scanIntervalMs: 100 } }
output: { type: file, path: ${out} }
batch: { flushMs: 50 }
registry: { path: ${dir}/registry.json, flushMs: 200 }
`,
    )
    const logship = startCli(['run', '-c', cfg])
    try {
      const n = 50
      for (let i = 0; i < n; i++) {
        const res = await fetch(`http://127.0.0.1:${nginx.port}/${i % 10 === 0 ? `missing-${i}.html` : `index.html?req=${i}`}`, { headers: { 'user-agent': `e2e-agent/${i}` } })
        await res.arrayBuffer()
      }
      const docs = (): Doc[] => readNdjson<Doc>(out).events
      await waitFor(() => docs().filter((d) => d.event?.dataset === 'nginx.access').length >= n, `${n} access documents`, 40_000, 100)
      await waitFor(() => docs().some((d) => d.event?.dataset === 'nginx.error'), 'an error-log document', 40_000, 100)

      const access = docs().filter((d) => d.event?.dataset === 'nginx.access')
      expect(access).toHaveLength(n)
      expect(access.every((d) => !d.tags?.includes('_logship_parse_failure'))).toBe(true)
      const seventh = access.find((d) => d.user_agent?.original === 'e2e-agent/7')!
      expect(seventh).toMatchObject({
        event: { module: 'nginx', dataset: 'nginx.access' },
        source: { address: '127.0.0.1', ip: '127.0.0.1' },
        http: { request: { method: 'GET' }, response: { status_code: 200 }, version: '1.1' },
        url: { original: '/index.html?req=7', path: '/index.html', query: 'req=7' },
        log: { file: { path: nginx.accessLog } },
      })
      expect(typeof seventh['@timestamp']).toBe('string')
      expect(access.filter((d) => d.http.response.status_code === 404)).toHaveLength(5)

      const errors = docs().filter((d) => d.event?.dataset === 'nginx.error')
      const missing = errors.find((d) => String(d.message).includes('missing-10.html'))!
      expect(missing).toMatchObject({ event: { module: 'nginx', dataset: 'nginx.error' }, log: { level: 'error', file: { path: nginx.errorLog } } })
      expect(typeof missing.process.pid).toBe('number')
    } finally {
      await logship.signal('SIGTERM')
      await logship.exited
      await nginx.stop()
    }
  })
})
