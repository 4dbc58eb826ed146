import { describe, it, expect } from 'vitest'
import winston from 'winston'
import { LogshipTransport } from 'logship/winston'
import { startSink, startSinkProcess, allEvents, isLossMarker, type Sink } from '../helpers/sink.js'
import { expectLedgerBalanced } from '../helpers/ledger.js'
import { runFixture } from '../helpers/child.js'
import { waitFor } from '../helpers/wait.js'

function setup(sink: Sink, options: Record<string, unknown> = {}, format?: winston.Logform.Format) {
  const transport = new LogshipTransport({ output: { type: 'http', url: sink.url }, batch: { flushMs: 10 }, ...options })
  const logger = winston.createLogger({ level: 'silly', transports: [transport], ...(format ? { format } : {}) })
  return { transport, logger }
}

const finished = (logger: winston.Logger): Promise<void> =>
  new Promise((resolve) => {
    logger.once('finish', () => resolve())
    logger.end()
  })

describe('LogshipTransport (real winston 3)', () => {
  it('ships the text a JSON format produced, in order, and emits logged', async () => {
    const sink = await startSink()
    const { transport, logger } = setup(sink, {}, winston.format.combine(winston.format.timestamp(), winston.format.json()))
    let logged = 0
    transport.on('logged', () => logged++)
    for (let i = 0; i < 1000; i++) logger.info('request', { i, route: '/a' })
    await transport.shipper.flush()
    const events = await sink.events()
    expect(events.map((e) => e.i)).toEqual(Array.from({ length: 1000 }, (_, i) => i))
    expect(events[3]).toEqual({ level: 'info', message: 'request', i: 3, route: '/a', timestamp: expect.any(String), '@timestamp': expect.any(String) })
    await new Promise((r) => setImmediate(r))
    expect(logged).toBe(1000)
    await finished(logger)
  })

  it('serializes info itself when the format is not JSON (here: simple)', async () => {
    const sink = await startSink()
    const { logger } = setup(sink, {}, winston.format.simple())
    logger.warn('plain', { user: 'ann' })
    await finished(logger)
    expect(await sink.events()).toEqual([{ level: 'warn', message: 'plain', user: 'ann', '@timestamp': expect.any(String) }])
  })

  it('respects the transport level', async () => {
    const sink = await startSink()
    const { logger } = setup(sink, { level: 'warn' })
    logger.info('skipped')
    logger.warn('kept')
    logger.error('kept too')
    await finished(logger)
    expect((await sink.events()).map((e) => e.message)).toEqual(['kept', 'kept too'])
  })

  it("logger.end() then 'finish' means every event is acknowledged by the sink", async () => {
    const sink = await startSink()
    await sink.setMode({ stall: true })
    const { transport, logger } = setup(sink)
    for (let i = 0; i < 500; i++) logger.info('queued', { i })
    let finishedYet = false
    const done = finished(logger).then(() => (finishedYet = true))
    // winston alone would emit 'finish' as soon as every log() callback ran
    await waitFor(async () => (await sink.stalledRequests()) > 0, 'the sink holding a request')
    expect(finishedYet).toBe(false)
    expect(transport.shipper.stats().acked).toBe(0)
    await sink.setMode({ stall: false })
    await done
    expect(transport.shipper.stats()).toMatchObject({ received: 500, acked: 500, dropped: 0 })
    expect(await sink.events()).toHaveLength(500)
  })

  it('ships circular objects, errors with causes and BigInt instead of throwing', async () => {
    const sink = await startSink()
    const { logger } = setup(sink) // winston's default format is json()
    const circular: Record<string, unknown> = { name: 'loop' }
    circular.self = circular
    logger.info('circular', { circular })
    logger.error(new Error('outer', { cause: new Error('inner') }))
    logger.error('with meta', { err: new Error('meta error') })
    logger.info('bigint', { big: 12345678901234567890n })
    await finished(logger)
    const events = await sink.events()
    expect(events).toHaveLength(4)
    expect(events[0]).toMatchObject({ message: 'circular', circular: { name: 'loop', self: '[Circular]' } })
    // winston's json format would write the Error as {"level":"error"}: logship keeps it
    expect(events[1]).toMatchObject({ level: 'error', message: 'outer', name: 'Error', stack: expect.stringContaining('Error: outer'), cause: { message: 'inner' } })
    expect(events[2]).toMatchObject({ message: 'with meta', err: { name: 'Error', message: 'meta error', stack: expect.any(String) } })
    expect(events[3]).toMatchObject({ message: 'bigint', big: '12345678901234567890' })
  })

  it('maps to ECS with ecs: true', async () => {
    const sink = await startSink()
    const { logger } = setup(sink, { ecs: true }, winston.format.combine(winston.format.timestamp(), winston.format.colorize(), winston.format.json()))
    logger.warn('careful', { user: { id: 7 } })
    logger.error('failed', { err: new Error('bad', { cause: new Error('root') }) })
    await finished(logger)
    const [warn, error] = await sink.events()
    expect(warn).toEqual({ '@timestamp': expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/), log: { level: 'warn' }, message: 'careful', user: { id: 7 }, ecs: { version: '8.10.0' } })
    expect(error).toMatchObject({
      log: { level: 'error' },
      message: 'failed',
      error: { type: 'Error', message: 'bad', stack_trace: expect.stringContaining('Error: bad'), cause: { message: 'root' } },
    })
  })

  it('with whenFull: block, logger.info() waits for the stalled sink', async () => {
    const sink = await startSinkProcess()
    await sink.setMode({ stall: true, stallMs: 1500 })
    const maxBytes = 16 * 1024
    const { transport, logger } = setup(sink, { queue: { maxBytes, whenFull: 'block', maxBlockMs: 60_000, blockBudgetMs: 60_000 }, batch: { maxEvents: 20, flushMs: 5 } })
    const n = 2000
    for (let i = 0; i < n; i++) logger.info('blocking', { i, pad: 'x'.repeat(40) })
    const after = transport.shipper.stats()
    expect(after).toMatchObject({ received: n, dropped: 0 })
    expect(after.acked).toBeGreaterThanOrEqual(n - Math.ceil(maxBytes / 80))
    expectLedgerBalanced(after)
    await finished(logger)
    expect((await sink.events()).map((e) => e.i)).toEqual(Array.from({ length: n }, (_, i) => i))
  })

  it('with drop-newest, the app keeps logging while the sink stalls and counts drops', async () => {
    const sink = await startSink()
    await sink.setMode({ stall: true })
    const { transport, logger } = setup(sink, { queue: { maxBytes: 16 * 1024 }, batch: { maxEvents: 20, flushMs: 5 } })
    const n = 2000
    for (let i = 0; i < n; i++) logger.info('dropping', { i })
    const during = transport.shipper.stats()
    expect(during.received).toBe(n)
    expect(during.droppedByReason.queue_full).toBeGreaterThan(0)
    expect(during.acked).toBe(0)
    expectLedgerBalanced(during)
    await sink.setMode({ stall: false })
    await finished(logger)
    expect((await sink.events()).map((e) => e.i)).toEqual(Array.from({ length: during.accepted }, (_, i) => i))
    expect((await allEvents(sink)).find(isLossMarker)).toMatchObject({ logship: { dropped: during.droppedByReason.queue_full } })
  })

  it('rejects bad options with one message naming every key', () => {
    expect(() => new LogshipTransport({ output: { type: 'http', url: 'nope' }, ecs: 1 } as never)).toThrow(/ecs: got 1; expected a boolean[\s\S]*output\.url/)
  })

  it('loses nothing when a child process logs 10,000 lines and calls process.exit(0)', async () => {
    const sink = await startSink()
    const result = await runFixture('child/exit-after-writes.mjs', {
      adapter: 'winston',
      options: { output: { type: 'http', url: sink.url }, closeTimeoutMs: 20000 },
      count: 10_000,
      ending: 'exit',
    })
    expect(result.code, result.stderr).toBe(0)
    expect((await sink.events()).map((e) => e.i)).toEqual(Array.from({ length: 10_000 }, (_, i) => i))
  })
})
