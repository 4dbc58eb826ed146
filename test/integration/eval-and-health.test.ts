import { describe, it, expect } from 'vitest'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { startSink } from '../helpers/sink.js'
import { runFile, type ChildResult } from '../helpers/child.js'
import { waitFor } from '../helpers/wait.js'
import { createShipper } from 'logship'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))

function runEval(source: string, args: string[], execArgv: string[]): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...execArgv, '-e', source, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
}

describe('the shipping worker in unusual hosts', () => {
  for (const execArgv of [['--input-type=module'], ['--input-type', 'module']]) {
    it(`ships from a script run with node ${execArgv.join(' ')} -e`, async () => {
      const sink = await startSink()
      const result = await runEval(readFileSync(fixture('eval/ship-ten.mjs'), 'utf8'), [sink.url], execArgv)
      expect(result.stderr).toBe('')
      expect(result.code).toBe(0)
      expect((await sink.events()).map((e) => e.i)).toEqual(Array.from({ length: 10 }, (_, i) => i))
    })
  }

  it('health() names the output once: its lastError does not repeat the name', async () => {
    const sink = await startSink()
    await sink.setMode({ failStatus: 503, failNext: -1 })
    const shipper = createShipper({ output: { type: 'http', url: sink.url }, batch: { flushMs: 5 }, retry: { initialDelayMs: 5, maxDelayMs: 20 }, handleExit: false })
    shipper.on('error', () => {})
    shipper.write({ i: 1 })
    await waitFor(async () => (await shipper.health()).some((h) => !h.up), 'the output reported down')
    const [host] = await shipper.health()
    expect(host!.host).toBe(shipper.outputName)
    expect(host!.lastError).toMatch(/^HTTP 503/)
    await sink.setMode({ failNext: 0 })
    await shipper.close()
  })

  it('await shipper.health() with nothing else pending resolves (the process does not end with exit code 13)', async () => {
    const sink = await startSink()
    const result = await runFile(fixture('eval/health.mjs'), [sink.url])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^HEALTH \[\{"host":"http\(http:\/\/127\.0\.0\.1:\d+\/ingest\)","up":true,"failures":0\}\]/)
  })
})
