import { afterEach, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pino from 'pino'
import { runCli, tempDir, writeConfig } from '../helpers/cli.js'
import { startFakeLoki, type FakeLoki } from '../helpers/fake-loki.js'
import { freePort } from '../helpers/ports.js'

let loki: FakeLoki

afterEach(async () => {
  await loki?.close()
})

const flushed = (logger: pino.Logger): Promise<void> => new Promise((resolve, reject) => logger.flush((err) => (err ? reject(err) : resolve())))

describe('loki output from the pino adapter and from tail mode (same options)', () => {
  it('logship/pino: every line arrives once, in a stream per level, with pino time', async () => {
    loki = await startFakeLoki()
    const transport = pino.transport({
      target: 'logship/pino',
      options: { output: { type: 'loki', url: loki.url, labels: { app: 'shop', level: '{level}' } }, batch: { flushMs: 10 } },
    })
    const logger = pino(transport)
    for (let n = 0; n < 500; n++) logger[n % 5 === 0 ? 'error' : 'info']({ n }, 'order %d', n)
    await flushed(logger)
    await new Promise<void>((resolve) => {
      transport.once('close', resolve)
      transport.end()
    })
    const events = loki.entries.map((e) => ({ ...(JSON.parse(e.line) as { n: number; time: number; msg: string }), labels: e.labelText, ts: e.ts }))
    expect(events.map((e) => e.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 500 }, (_, n) => n))
    expect(new Set(events.map((e) => e.labels))).toEqual(new Set(['{app="shop", level="30"}', '{app="shop", level="50"}']))
    const five = events.find((e) => e.n === 5)!
    expect(five).toMatchObject({ msg: 'order 5', labels: '{app="shop", level="50"}', ts: `${BigInt(five.time) * 1_000_000n}` })
  })

  it('logship run --once (tail mode): every line of the file arrives once, labelled by file', async () => {
    loki = await startFakeLoki({ tenants: true })
    const dir = tempDir('loki-tail')
    const file = join(dir, 'app.log')
    writeFileSync(file, `${Array.from({ length: 250 }, (_, i) => `line ${i}`).join('\n')}\n`)
    const cfg = writeConfig(
      dir,
      `inputs:\n  - type: file\n    paths: ['${file}']\noutput:\n  type: loki\n  url: ${loki.url}\n  tenant: ops\n  labels: { job: tail, filename: '{log.file.path}' }\nregistry: { path: ${dir}/registry.json }\n`,
    )
    const r = await runCli(['run', '--once', '-c', cfg], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/shipped 250 events/)
    expect(loki.entries.map((e) => (JSON.parse(e.line) as { message: string }).message)).toEqual(Array.from({ length: 250 }, (_, i) => `line ${i}`))
    expect(loki.entries.every((e) => e.tenant === 'ops' && e.labels.filename === file && e.labels.job === 'tail')).toBe(true)
  })
})

describe('logship test output (loki)', () => {
  async function testOutput(dir: string, output: string, extra: string[] = []) {
    const cfg = writeConfig(dir, `inputs:\n  - type: stdin\noutput: ${output}\n`, `cfg-${Math.random().toString(36).slice(2)}.yml`)
    return runCli(['test', 'output', '-c', cfg, '--timeout-ms', '5000', ...extra])
  }

  it('a live Loki passes with its version and pushes nothing; --write stores one test event', async () => {
    loki = await startFakeLoki({ tenants: true, version: '3.5.1' })
    const dir = tempDir('loki-probe')
    const r = await testOutput(dir, `{ type: loki, url: '${loki.url}', tenant: t1 }`)
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^ok {3}http:\/\/127\.0\.0\.1:\d+\/loki\/api\/v1\/push is Loki 3\.5\.1; credentials accepted for tenant t1$/m)
    expect(loki.entries).toEqual([])
    const w = await testOutput(dir, `{ type: loki, url: '${loki.url}', tenant: t1 }`, ['--write'])
    expect(w.code, w.stdout + w.stderr).toBe(0)
    expect(loki.entries.map((e) => (JSON.parse(e.line) as { message: string }).message)).toEqual(['logship test event (sent by `logship test output --write`)'])
  })

  it('a missing tenant, wrong credentials and nothing listening each fail with what to do', async () => {
    loki = await startFakeLoki({ tenants: true })
    const dir = tempDir('loki-probe-bad')
    const noTenant = await testOutput(dir, `{ type: loki, url: '${loki.url}' }`)
    expect(noTenant.code).not.toBe(0)
    expect(noTenant.stdout).toMatch(/401 from .*; this Loki is multi-tenant: set output\.tenant \(X-Scope-OrgID\)/)
    await loki.close()
    loki = await startFakeLoki({ authorization: 'Bearer right' })
    const denied = await testOutput(dir, `{ type: loki, url: '${loki.url}', auth: { bearer: wrong } }`)
    expect(denied.stdout).toMatch(/401 from .*: the bearer token was rejected/)
    const port = await freePort()
    const nobody = await testOutput(dir, `{ type: loki, url: 'http://127.0.0.1:${port}' }`)
    expect(nobody.stdout).toMatch(/refused the connection: nothing listens on that port/)
  })
})
