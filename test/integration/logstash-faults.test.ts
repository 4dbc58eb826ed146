import { describe, it, expect, onTestFinished } from 'vitest'
import net from 'node:net'
import { createShipper, type LogshipError } from 'logship'
import { startFakeLogstash, distinctIds, userEvents, range, type FakeLogstash } from '../helpers/fake-logstash.js'
import { expectLedgerBalanced } from '../helpers/ledger.js'
import { waitFor } from '../helpers/wait.js'

const fast = { initialDelayMs: 20, maxDelayMs: 200 }

function shipTo(fake: FakeLogstash, output: Record<string, unknown> = {}, thread: 'main' | 'worker' = 'worker') {
  const shipper = createShipper({
    output: { type: 'logstash', hosts: [fake.address], backoff: fast, ...output },
    batch: { maxEvents: 200, flushMs: 5 },
    retry: { initialDelayMs: 20, maxDelayMs: 200 },
    queue: { maxBytes: '8mb' },
    closeTimeoutMs: 500,
    thread,
  })
  const errors: LogshipError[] = []
  shipper.on('error', (e) => errors.push(e))
  return { shipper, errors }
}

function duplicates(ids: number[]): number[] {
  const seen = new Set<number>()
  const twice = new Set<number>()
  for (const id of ids) (seen.has(id) ? twice : seen).add(id)
  return [...twice].sort((a, b) => a - b)
}

describe('logstash output: server faults', () => {
  it('waits for late ACKs without resending anything', async () => {
    const fake = await startFakeLogstash({ mode: { ackDelayMs: 150 } })
    const { shipper, errors } = shipTo(fake)
    const n = 400
    for (let i = 0; i < n; i++) shipper.write({ id: i })
    await shipper.flush()
    const state = await fake.state()
    expect(
      userEvents(state)
        .map((e) => e.id)
        .sort((a, b) => (a as number) - (b as number)),
    ).toEqual(range(n))
    expect(state.connections).toBe(1)
    expect(errors).toEqual([])
    expect(shipper.stats()).toMatchObject({ acked: n, retried: 0 })
    await shipper.close()
  })

  it('takes ACKs that come in parts (each one acknowledges a prefix of the window)', async () => {
    const fake = await startFakeLogstash({ mode: { ackInParts: 4, ackDelayMs: 40 } })
    const { shipper, errors } = shipTo(fake)
    const n = 600
    for (let i = 0; i < n; i++) shipper.write({ id: i })
    await shipper.flush()
    const state = await fake.state()
    expect(state.acksSent).toBeGreaterThan(state.windows.length)
    expect(duplicates(userEvents(state).map((e) => e.id as number))).toEqual([])
    expect(distinctIds(state)).toEqual(range(n))
    expect(errors).toEqual([])
    await shipper.close()
  })

  it('treats repeated keep-alive ACKs as a live connection: no timeout, no resend', async () => {
    // each window is acknowledged after 600 ms, far beyond timeoutMs, but a keep-alive comes every 50 ms
    const fake = await startFakeLogstash({ mode: { ackDelayMs: 600, ackInParts: 2, keepAliveMs: 50 } })
    const { shipper, errors } = shipTo(fake, { timeoutMs: 250 })
    const n = 60
    for (let i = 0; i < n; i++) shipper.write({ id: i })
    await shipper.flush()
    const state = await fake.state()
    expect(state.connections).toBe(1)
    expect(userEvents(state)).toHaveLength(n)
    expect(distinctIds(state)).toEqual(range(n))
    expect(errors).toEqual([])
    expect(shipper.stats().retried).toBe(0)
    // the host was never down
    expect(await shipper.health()).toEqual([{ host: fake.address, up: true, failures: 0, unackedEvents: 0, windowsInFlight: 0 }])
    await shipper.close()
  })

  it('without keep-alives the same slow server times out: the host is down, the connection is replaced, nothing is lost', async () => {
    const fake = await startFakeLogstash({ mode: { ackDelayMs: 600 } })
    // a long reconnect wait, so that the down state lasts long enough to be seen
    const { shipper, errors } = shipTo(fake, { timeoutMs: 250, backoff: { initialDelayMs: 400, maxDelayMs: 400 } })
    const n = 60
    for (let i = 0; i < n; i++) shipper.write({ id: i })
    const down = (await waitFor(async () => (await shipper.health()).find((h) => !h.up), 'the host reported down after the ACK timeout'))!
    expect(down.lastError).toMatch(/no ACK \(not even a keep-alive\) for timeoutMs \(250 ms\)/)
    await fake.setMode({ ackDelayMs: 0 })
    await shipper.flush()
    const state = await fake.state()
    expect(state.connections).toBeGreaterThanOrEqual(2)
    expect(distinctIds(state)).toEqual(range(n))
    // only events the server held unacknowledged when the connection went came twice
    expect(userEvents(state).length - n).toBeLessThanOrEqual(state.receivedUnacked)
    expect(await shipper.health()).toEqual([{ host: fake.address, up: true, failures: 0, unackedEvents: 0, windowsInFlight: 0 }])
    expect(errors.map((e) => e.message).join('\n')).toMatch(/no ACK \(not even a keep-alive\) for timeoutMs \(250 ms\)/)
    await shipper.close()
  })

  it('closes a server that stops ACKing after timeoutMs, reconnects and resends', async () => {
    const fake = await startFakeLogstash({ mode: { stopAcking: true } })
    const { shipper, errors } = shipTo(fake, { timeoutMs: 200 })
    const n = 300
    for (let i = 0; i < n; i++) shipper.write({ id: i })
    await waitFor(async () => (await fake.state()).connections >= 3, 'reconnections while the server is silent')
    expect(shipper.stats().acked).toBe(0)
    await fake.setMode({ stopAcking: false })
    await shipper.flush()
    expect(distinctIds(await fake.state())).toEqual(range(n))
    const s = shipper.stats()
    expect(s).toMatchObject({ acked: n, failed: 0, dropped: 0 })
    expectLedgerBalanced(s)
    expect(errors[0]?.message).toMatch(/logstash\(127\.0\.0\.1:\d+\): 127\.0\.0\.1:\d+: no ACK/)
    await shipper.close()
  })

  it('after a partial ACK and a closed socket, resends only the unacknowledged part of the window', async () => {
    // windows go 10, 15, 23, 35: the fourth (events 48..82) is cut after 30 events with 20 acknowledged
    const fake = await startFakeLogstash({ mode: { closeMidWindow: { afterEvents: 30, ackFirst: 20 } } })
    const { shipper } = shipTo(fake, { pipelining: 0 }, 'main')
    const n = 200
    for (let i = 0; i < n; i++) shipper.write({ id: i })
    await shipper.flush()
    const state = await fake.state()
    expect(state.closedMidWindow).toBe(1)
    expect(state.windows.slice(0, 4)).toEqual([10, 15, 23, 35])
    expect(distinctIds(state)).toEqual(range(n))
    // 48..67 were acknowledged and never sent again; 68..77 reached the server unacknowledged and came twice
    expect(duplicates(userEvents(state).map((e) => e.id as number))).toEqual(range(10).map((i) => 68 + i))
    const s = shipper.stats()
    // the connection delivered something before it dropped, so it was reopened at once and the
    // rest of the batch went out inside the same send: the engine never retried
    expect(s.retried).toBe(0)
    expect(s.acked).toBe(n)
    await shipper.close()
  })

  it('keeps events while connections are refused and ships them once the server listens again', async () => {
    const fake = await startFakeLogstash()
    await fake.setMode({ refuse: true })
    const { shipper, errors } = shipTo(fake)
    const n = 250
    for (let i = 0; i < n; i++) shipper.write({ id: i })
    await waitFor(() => errors.length > 0, 'an error event')
    expect(errors[0]!.code).toBe('LOGSHIP_ERR_OUTPUT')
    expect(errors[0]!.message).toMatch(/127\.0\.0\.1:\d+ refused the connection \(ECONNREFUSED\): is Logstash running with a beats input on that port\?/)
    expect(shipper.stats()).toMatchObject({ acked: 0, dropped: 0 })
    await fake.setMode({ refuse: false })
    await shipper.flush()
    expect(distinctIds(await fake.state())).toEqual(range(n))
    expect(shipper.stats()).toMatchObject({ acked: n, dropped: 0, failed: 0 })
    await shipper.close()
  })

  it('survives a server that cuts every connection mid-window for a while', async () => {
    const fake = await startFakeLogstash({ mode: { closeMidWindow: { afterEvents: 5, times: 4 } } })
    const { shipper } = shipTo(fake)
    const n = 500
    for (let i = 0; i < n; i++) shipper.write({ id: i })
    await shipper.flush()
    const state = await fake.state()
    expect(state.closedMidWindow).toBe(4)
    expect(state.connections).toBeGreaterThanOrEqual(5)
    expect(distinctIds(state)).toEqual(range(n))
    expect(state.protocolErrors).toEqual([])
    await shipper.close()
  })

  it('closes within closeTimeoutMs while a server holds its ACKs, counting what was not shipped', async () => {
    const fake = await startFakeLogstash({ mode: { stopAcking: true } })
    const shipper = createShipper({
      output: { type: 'logstash', hosts: [fake.address] },
      batch: { maxEvents: 20, flushMs: 5 },
      closeTimeoutMs: 300,
    })
    shipper.on('error', () => {})
    for (let i = 0; i < 30; i++) shipper.write({ id: i })
    await waitFor(async () => (await fake.state()).events.length > 0, 'events at the server')
    await shipper.close()
    const s = shipper.stats()
    expect(s.acked).toBe(0)
    expect(s.droppedByReason.shutdown).toBe(30)
    expectLedgerBalanced(s)
  })

  it('explains when the port answers with something other than Lumberjack ACKs', async () => {
    const server = net.createServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())))
    const port = (server.address() as net.AddressInfo).port
    const { shipper, errors } = shipTo({ address: `127.0.0.1:${port}` } as FakeLogstash)
    shipper.write({ id: 1 })
    await waitFor(() => errors.length > 0, 'an error event')
    expect(errors[0]!.message).toMatch(/127\.0\.0\.1:\d+: expected an ACK frame \('2A'\), got bytes 0x4854: is this a Logstash beats input\?/)
    await shipper.close()
  })
})
