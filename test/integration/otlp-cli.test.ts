import { afterEach, describe, expect, it } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pino from 'pino'
import { runCli, tempDir, writeConfig } from '../helpers/cli.js'
import { startFakeOtlp, type FakeOtlp } from '../helpers/fake-otlp.js'
import { freePort } from '../helpers/ports.js'

let otlp: FakeOtlp

afterEach(async () => {
  await otlp?.close()
})

const flushed = (logger: pino.Logger): Promise<void> => new Promise((resolve, reject) => logger.flush((err) => (err ? reject(err) : resolve())))

describe('otlp output from the pino adapter and from tail mode (same options)', () => {
  it('logship/pino: every line arrives once as a LogRecord with pino time, level and message', async () => {
    otlp = await startFakeOtlp()
    const transport = pino.transport({
      target: 'logship/pino',
      // compression: false: on Node 24 (not 20/22), with gzip and the collector in this same thread,
      // logger.flush() never calls back (open question for the adapter: see the issue 20 report)
      options: { output: { type: 'otlp', endpoint: otlp.url, compression: false, resource: { 'service.name': 'shop' } }, batch: { flushMs: 10 } },
    })
    const logger = pino(transport)
    for (let n = 0; n < 500; n++) logger[n % 5 === 0 ? 'error' : 'info']({ n, cart: { items: n % 3 } }, 'order %d', n)
    await flushed(logger)
    await new Promise<void>((resolve) => {
      transport.once('close', resolve)
      transport.end()
    })
    expect(otlp.ns()).toEqual(Array.from({ length: 500 }, (_, n) => n))
    const log = otlp.logs[5]!
    expect(log).toMatchObject({ body: 'order 5', severityNumber: 17, severityText: 'error', resource: { 'service.name': 'shop' } })
    expect(log.attributes).toMatchObject({ n: 5, 'cart.items': 2, pid: expect.any(Number), hostname: expect.any(String) })
    expect(log.attributes.time).toBeUndefined() // pino's time became timeUnixNano
    expect(otlp.logs[6]).toMatchObject({ severityNumber: 9, severityText: 'info' })
    const now = BigInt(Date.now()) * 1_000_000n
    expect(BigInt(log.timeUnixNano)).toBeLessThanOrEqual(now)
    expect(BigInt(log.timeUnixNano)).toBeGreaterThan(now - 60_000_000_000n)
  })

  it('logship run --once (tail mode): every line of the file arrives once as a LogRecord body', async () => {
    otlp = await startFakeOtlp()
    const dir = tempDir('otlp-tail')
    const file = join(dir, 'app.log')
    writeFileSync(file, `${Array.from({ length: 250 }, (_, i) => `line ${i}`).join('\n')}\n`)
    const cfg = writeConfig(
      dir,
      `inputs:\n  - type: file\n    paths: ['${file}']\noutput:\n  type: otlp\n  endpoint: ${otlp.url}\n  encoding: json\n  resource: { service.name: tailer }\nregistry: { path: ${dir}/registry.json }\n`,
    )
    const r = await runCli(['run', '--once', '-c', cfg], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/shipped 250 events/)
    expect(otlp.logs.map((l) => l.body)).toEqual(Array.from({ length: 250 }, (_, i) => `line ${i}`))
    expect(otlp.logs[3]!.attributes).toMatchObject({ 'log.file.path': file, 'input.type': 'file' })
    expect(otlp.logs[3]!.resource['service.name']).toBe('tailer')
    expect(otlp.requests.every((r) => r.contentType === 'application/json')).toBe(true)
  })
})

describe('logship test output (otlp)', () => {
  async function testOutput(dir: string, output: string, extra: string[] = []) {
    const cfg = writeConfig(dir, `inputs:\n  - type: stdin\noutput: ${output}\n`, `cfg-${Math.random().toString(36).slice(2)}.yml`)
    return runCli(['test', 'output', '-c', cfg, '--timeout-ms', '5000', ...extra])
  }

  it('a live collector passes without storing anything; --write stores one test event', async () => {
    otlp = await startFakeOtlp()
    const dir = tempDir('otlp-probe')
    const r = await testOutput(dir, `{ type: otlp, endpoint: '${otlp.url}' }`)
    expect(r.stdout).toMatch(new RegExp(`^ok   ${otlp.url.replaceAll('.', '\\.')}/v1/logs accepted an empty OTLP protobuf export request$`, 'm'))
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(otlp.logs).toEqual([])
    const w = await testOutput(dir, `{ type: otlp, endpoint: '${otlp.url}', encoding: json }`, ['--write'])
    expect(w.code, w.stdout + w.stderr).toBe(0)
    expect(w.stdout).toMatch(/write: otlp\(http:\/\/127\.0\.0\.1:\d+\/v1\/logs\) stored the test event/)
    expect(otlp.logs.map((l) => l.body)).toEqual(['logship test event (sent by `logship test output --write`)'])
  })

  it('wrong credentials, a wrong path and nothing listening each fail with what to do', async () => {
    otlp = await startFakeOtlp({ authorization: 'Bearer right' })
    const dir = tempDir('otlp-probe-bad')
    const denied = await testOutput(dir, `{ type: otlp, endpoint: '${otlp.url}', headers: { authorization: 'Bearer wrong' } }`)
    expect(denied.code).not.toBe(0)
    expect(denied.stdout).toMatch(/401 from http:\/\/127\.0\.0\.1:\d+\/v1\/logs: the authorization header was rejected/)
    const wrongPath = await testOutput(dir, `{ type: otlp, endpoint: '${otlp.url}/otlp/v1/logs', headers: { authorization: 'Bearer right' } }`)
    expect(wrongPath.stdout).toMatch(/404 from .*: no OTLP\/HTTP logs receiver there; point output\.endpoint at the collector's OTLP\/HTTP port/)
    const port = await freePort()
    const nobody = await testOutput(dir, `{ type: otlp, endpoint: 'http://127.0.0.1:${port}' }`)
    expect(nobody.stdout).toMatch(/refused the connection: nothing listens on that port/)
  })
})
