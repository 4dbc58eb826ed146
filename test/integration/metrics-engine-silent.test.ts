import { describe, it, expect, onTestFinished } from 'vitest'
import { createShipper } from 'logship'
import { startMetricsServer } from '../../src/metrics/server.js'

describe('stats endpoint when the engine does not answer', () => {
  it('answers /healthz (503, saying so) and /stats within the bound instead of hanging', async () => {
    const shipper = createShipper({ output: { type: 'http', url: 'http://127.0.0.1:9/ingest' }, handleExit: false, closeTimeoutMs: 100 })
    shipper.on('error', () => {})
    onTestFinished(() => shipper.close())
    shipper.write({ hello: 1 })
    // The counters are shared memory; only the hosts come from the engine, which here never answers.
    const silentEngine = { stats: () => shipper.stats(), outputName: shipper.outputName, health: () => new Promise<never>(() => {}) }
    const server = await startMetricsServer({ shipper: silentEngine }, { host: '127.0.0.1', port: 0, maxQueueFill: 0.9, stallMs: 10_000 })
    onTestFinished(() => server.close())

    const health = await fetch(`${server.url}/healthz`)
    expect(health.status).toBe(503)
    const verdict = (await health.json()) as { status: string; reasons: string[] }
    expect(verdict.status).toBe('unhealthy')
    expect(verdict.reasons.join('\n')).toMatch(/the shipping engine did not answer within \d+ ms \(busy or stuck on its thread\)/)

    const stats = (await (await fetch(`${server.url}/stats`)).json()) as { received: number; engineSilentMs: number }
    expect(stats.received).toBe(1)
    expect(stats.engineSilentMs).toBeGreaterThan(0)
  })
})
