import { describe, it, expect, onTestFinished } from 'vitest'
import net from 'node:net'
import { makeTestCerts } from '../helpers/certs.js'
import { createShipper, type LogshipError, type Shipper, type ShipperOptions } from 'logship'
import { startFakeLogstash, userEvents, distinctIds, range } from '../helpers/fake-logstash.js'
import { freePort } from '../helpers/ports.js'
import { waitFor } from '../helpers/wait.js'
import { missingSoftware } from '../helpers/system-software.js'
import { parsePrometheus } from '../helpers/prometheus.js'

const fast = { initialDelayMs: 20, maxDelayMs: 200 }

function ship(output: Record<string, unknown>, extra: Partial<ShipperOptions> = {}): { shipper: Shipper; errors: LogshipError[] } {
  const shipper = createShipper({
    output: { type: 'logstash', backoff: fast, ...output } as ShipperOptions['output'],
    batch: { maxEvents: 100, flushMs: 5 },
    retry: { initialDelayMs: 20, maxDelayMs: 200 },
    closeTimeoutMs: 1000,
    handleExit: false,
    ...extra,
  })
  const errors: LogshipError[] = []
  shipper.on('error', (e) => errors.push(e))
  return { shipper, errors }
}

async function hostUp(shipper: Shipper, host: string): Promise<boolean | undefined> {
  return (await shipper.health()).find((h) => h.host === host)?.up
}

describe('logstash output: every host visible', () => {
  it('a dead host among several: its health says down with the reason, an error event says so, /healthz warns (200) and its gauge is 0', async () => {
    const live = await startFakeLogstash()
    const deadPort = await freePort()
    const dead = `127.0.0.1:${deadPort}`
    const { shipper, errors } = ship({ hosts: [live.address, dead] }, { http: { port: 0 } })
    for (let i = 0; i < 500; i++) shipper.write({ id: i })
    await shipper.flush()
    expect(distinctIds(await live.state())).toEqual(range(500))
    await waitFor(async () => (await hostUp(shipper, dead)) === false, 'the dead host reported down')
    const health = await shipper.health()
    expect(health).toHaveLength(2)
    expect(health.find((h) => h.host === live.address)).toMatchObject({ up: true, failures: 0, unackedEvents: 0, windowsInFlight: 0 })
    const down = health.find((h) => h.host === dead)!
    expect(down.up).toBe(false)
    expect(down.failures).toBeGreaterThanOrEqual(1)
    expect(down.lastError).toMatch(new RegExp(`127\\.0\\.0\\.1:${deadPort} refused the connection \\(ECONNREFUSED\\)`))
    await waitFor(() => errors.length > 0, 'an error event')
    expect(errors[0]!.code).toBe('LOGSHIP_ERR_OUTPUT')
    expect(errors[0]!.message).toMatch(
      new RegExp(
        `host 127\\.0\\.0\\.1:${deadPort} is down \\(127\\.0\\.0\\.1:${deadPort} refused the connection \\(ECONNREFUSED\\).*\\); 1 of 2 hosts are down, the others take the load`,
      ),
    )
    const url = (await shipper.httpUrl())!
    const h = await fetch(`${url}/healthz`)
    expect(h.status).toBe(200)
    const body = (await h.json()) as { warnings: string[] }
    expect(body.warnings.join('\n')).toMatch(
      new RegExp(`1 of 2 hosts are down, the others take the load \\(127\\.0\\.0\\.1:${deadPort}: 127\\.0\\.0\\.1:${deadPort} refused the connection`),
    )
    const m = parsePrometheus(await (await fetch(`${url}/metrics`)).text())
    expect(m.get(`logship_output_host_up{output="${shipper.outputName}",host="${dead}"}`)).toBe(0)
    expect(m.get(`logship_output_host_up{output="${shipper.outputName}",host="${live.address}"}`)).toBe(1)
    await shipper.close()
  })

  it('a host that comes back is reported up again without any traffic, and takes windows again', async () => {
    const a = await startFakeLogstash({ mode: { ackDelayMs: 10 } })
    const b = await startFakeLogstash({ mode: { ackDelayMs: 10 } })
    await b.setMode({ refuse: true })
    const { shipper, errors } = ship({ hosts: [a.address, b.address] })
    for (let i = 0; i < 300; i++) shipper.write({ id: i })
    await shipper.flush()
    await waitFor(async () => (await hostUp(shipper, b.address)) === false, 'b reported down')
    await b.setMode({ refuse: false })
    // nothing is written meanwhile: the reconnect after the backoff finds it
    await waitFor(async () => (await hostUp(shipper, b.address)) === true, 'b reported up again')
    await waitFor(() => errors.some((e) => /is up again/.test(e.message)), 'an error event saying b is back')
    const messages = errors.map((e) => e.message)
    expect(messages.filter((m) => m.includes(`host ${b.address} is down`))).toHaveLength(1)
    expect(messages.find((m) => /is up again/.test(m))).toMatch(`host ${b.address} is up again; all 2 hosts are up`)
    for (let i = 300; i < 3000; i++) shipper.write({ id: i })
    await shipper.flush()
    expect(userEvents(await b.state()).length).toBeGreaterThan(0)
    expect([...new Set([...distinctIds(await a.state()), ...distinctIds(await b.state())])].sort((x, y) => x - y)).toEqual(range(3000))
    await shipper.close()
  })

  it('a live node that dies is reported down (with an error event) while the other takes the load', async () => {
    const a = await startFakeLogstash({ mode: { ackDelayMs: 5 } })
    const b = await startFakeLogstash({ mode: { ackDelayMs: 5 } })
    const { shipper, errors } = ship({ hosts: [a.address, b.address] })
    for (let i = 0; i < 1000; i++) shipper.write({ id: i })
    await shipper.flush()
    expect((await shipper.health()).map((h) => h.up)).toEqual([true, true])
    await a.kill()
    for (let i = 1000; i < 2000; i++) shipper.write({ id: i })
    await shipper.flush()
    await waitFor(async () => (await hostUp(shipper, a.address)) === false, 'a reported down')
    expect(await hostUp(shipper, b.address)).toBe(true)
    await waitFor(() => errors.some((e) => e.message.includes(`host ${a.address} is down`)), 'an error event for a')
    expect([...new Set([...distinctIds(await a.state()), ...distinctIds(await b.state())])].sort((x, y) => x - y)).toEqual(range(2000))
    await shipper.close()
  })

  it('reports windows in flight and unacknowledged events per host while a node holds its ACKs', async () => {
    const fake = await startFakeLogstash({ mode: { stopAcking: true, keepAliveMs: 20 } })
    const { shipper } = ship({ hosts: [fake.address] })
    shipper.on('error', () => {})
    for (let i = 0; i < 50; i++) shipper.write({ id: i })
    const h = (await waitFor(async () => (await shipper.health()).find((x) => (x.unackedEvents ?? 0) > 0), 'events in flight'))!
    expect(h).toMatchObject({ host: fake.address, up: true })
    expect(h.windowsInFlight).toBeGreaterThanOrEqual(1)
    await fake.setMode({ stopAcking: false })
    await shipper.flush()
    expect(await shipper.health()).toEqual([{ host: fake.address, up: true, failures: 0, unackedEvents: 0, windowsInFlight: 0 }])
    await shipper.close()
  })

  it.skipIf(missingSoftware('logstash TLS-mismatch hint', ['openssl']))('a plain connection to a TLS beats input says to set the tls option', async () => {
    const certs = makeTestCerts()
    const fake = await startFakeLogstash({ tls: { key: certs.serverKey, cert: certs.serverCert } })
    const { shipper, errors } = ship({ hosts: [fake.address] })
    shipper.write({ id: 1 })
    await waitFor(() => errors.length > 0, 'an error event')
    expect(errors[0]!.message).toMatch(/set the tls option/)
    await shipper.close()
  })

  it('a server that closes without a word after the first window (what a Go TLS server does with plain TCP) gets the tls hint', async () => {
    const server = net.createServer((socket) => socket.once('data', () => socket.destroy()))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())))
    const address = `127.0.0.1:${(server.address() as net.AddressInfo).port}`
    const { shipper, errors } = ship({ hosts: [address] })
    shipper.write({ id: 1 })
    await waitFor(() => errors.length > 0, 'an error event')
    expect(errors[0]!.message).toMatch(
      /the server closed the connection with 1 events unacknowledged, before sending a single byte: if this beats input has ssl enabled \(ssl_enabled => true\), set the tls option/,
    )
    await shipper.close()
  })
})
