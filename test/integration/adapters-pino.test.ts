import { describe, it, expect } from 'vitest'
import pino from 'pino'
import { pinoDestination } from 'logship/pino'
import logshipPinoTransport from 'logship/pino'
import { startSink, startSinkProcess, allEvents, isLossMarker, type Sink } from '../helpers/sink.js'
import { expectLedgerBalanced } from '../helpers/ledger.js'
import { runFixture } from '../helpers/child.js'
import { waitFor } from '../helpers/wait.js'

const flushed = (logger: pino.Logger): Promise<void> => new Promise((resolve, reject) => logger.flush((err) => (err ? reject(err) : resolve())))

function transportLogger(sink: Sink, options: Record<string, unknown> = {}) {
  const transport = pino.transport({ target: 'logship/pino', options: { output: { type: 'http', url: sink.url }, batch: { flushMs: 10 }, ...options } })
  return { logger: pino(transport), transport }
}

const ended = (transport: { end(): void; once(event: 'close', cb: () => void): void }): Promise<void> =>
  new Promise((resolve) => {
    transport.once('close', resolve)
    transport.end()
  })

describe('logship/pino transport (real pino, in its worker thread)', () => {
  it('ships every line in order with the fields pino wrote, and logger.flush() waits for the sink', async () => {
    const sink = await startSink()
    const { logger, transport } = transportLogger(sink)
    const child = logger.child({ reqId: 'r-1' })
    for (let i = 0; i < 2000; i++) child.info({ i, nested: { ok: true } }, 'request %d', i)
    await flushed(logger)
    // flush resolved only after the output acknowledged: everything is at the sink now
    const events = await sink.events()
    expect(events.map((e) => e.i)).toEqual(Array.from({ length: 2000 }, (_, i) => i))
    expect(events[7]).toMatchObject({ level: 30, msg: 'request 7', reqId: 'r-1', i: 7, nested: { ok: true }, pid: process.pid })
    expect(typeof events[7]!.time).toBe('number')
    expect(events[7]!['@timestamp']).toBeUndefined() // pino's own `time` is kept, not duplicated
    await ended(transport)
  })

  it('accepts the keys pino adds to the options and rejects its own bad options with one clear message', async () => {
    const sink = await startSink()
    const stream = await logshipPinoTransport({
      output: { type: 'http', url: sink.url },
      batch: { flushMs: 10 },
      $context: { threadStreamVersion: '4.2.0' },
      pinoWillSendConfig: false,
    } as never)
    stream.write('{"level":30,"msg":"direct"}\n')
    await new Promise<void>((resolve, reject) => (stream as unknown as { flush(cb: (e?: Error) => void): void }).flush((e) => (e ? reject(e) : resolve())))
    expect(await sink.events()).toEqual([{ level: 30, msg: 'direct', '@timestamp': expect.any(String) }])
    stream.end()
    await new Promise((resolve) => stream.once('close', resolve))
    await expect(logshipPinoTransport({ output: { type: 'http', url: sink.url }, ecs: 'yes', queue: { whenFull: 'wait' } } as never)).rejects.toThrow(
      /ecs: got "yes"; expected a boolean[\s\S]*queue\.whenFull: got "wait"/,
    )
  })

  it('maps to ECS in the worker with ecs: true', async () => {
    const sink = await startSink()
    const { logger, transport } = transportLogger(sink, { ecs: true })
    logger.warn({ user: { id: 7 } }, 'careful')
    await flushed(logger)
    const [event] = await sink.events()
    expect(event).toEqual({
      '@timestamp': expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      log: { level: 'warn' },
      message: 'careful',
      user: { id: 7 },
      process: { pid: process.pid },
      host: { hostname: expect.any(String) },
      ecs: { version: '8.10.0' },
    })
    await ended(transport)
  })

  it('ships circular objects, errors with causes and BigInt instead of throwing', async () => {
    const sink = await startSink()
    const { logger, transport } = transportLogger(sink)
    const circular: Record<string, unknown> = { name: 'loop' }
    circular.self = circular
    logger.info({ circular }, 'circular')
    logger.error(new Error('outer', { cause: new Error('inner') }), 'failed')
    logger.info({ big: 12345678901234567890n }, 'bigint')
    await flushed(logger)
    const events = await sink.events()
    expect(events.map((e) => e.msg)).toEqual(['circular', 'failed', 'bigint'])
    expect(events[0]!.circular).toEqual({ name: 'loop', self: '[Circular]' })
    expect((events[1]!.err as { stack: string }).stack).toContain('caused by: Error: inner')
    // biome-ignore lint/correctness/noPrecisionLoss: the literal is what pino prints for this BigInt
    expect(events[2]!.big).toBe(12345678901234567890) // pino writes BigInt as a JSON number
    await ended(transport)
  })

  it("with whenFull: block pauses pino's stream while the sink stalls and loses nothing", async () => {
    const sink = await startSink()
    await sink.setMode({ stall: true })
    const { logger, transport } = transportLogger(sink, {
      queue: { maxBytes: 8 * 1024, whenFull: 'block', maxBlockMs: 60_000, blockBudgetMs: 60_000 },
      batch: { maxEvents: 20, flushMs: 5 },
    })
    const n = 1000 // ~80 KB: ten times what the queue holds
    for (let i = 0; i < n; i++) logger.info({ i })
    await waitFor(async () => (await sink.stalledRequests()) > 0, 'a stalled request')
    await sink.setMode({ stall: false })
    await flushed(logger)
    expect((await sink.events()).map((e) => e.i)).toEqual(Array.from({ length: n }, (_, i) => i))
    expect((await allEvents(sink)).filter(isLossMarker)).toEqual([]) // nothing was dropped
    await ended(transport)
  })

  it('with whenFull: block, flush() calls back only once the lines still buffered in the paused stream are shipped too', async () => {
    const sink = await startSink()
    await sink.setMode({ stall: true })
    const stream = await logshipPinoTransport({
      output: { type: 'http', url: sink.url },
      queue: { maxBytes: 8 * 1024, whenFull: 'block', maxBlockMs: 60_000, blockBudgetMs: 60_000 },
      batch: { maxEvents: 20, flushMs: 5 },
    })
    const n = 1000 // far more than the 8 KiB queue holds: most lines wait in the paused stream
    for (let i = 0; i < n; i++) stream.write(`{"level":30,"i":${i}}\n`)
    await waitFor(async () => (await sink.stalledRequests()) > 0, 'a stalled request')
    const flushing = new Promise<void>((resolve, reject) => (stream as unknown as { flush(cb: (e?: Error) => void): void }).flush((e) => (e ? reject(e) : resolve())))
    await sink.setMode({ stall: false })
    await flushing
    expect((await sink.events()).map((e) => e.i)).toEqual(Array.from({ length: n }, (_, i) => i))
    stream.end()
    await new Promise((resolve) => stream.once('close', resolve))
  })

  it('loses nothing when a child process logs 10,000 lines and calls process.exit(0)', async () => {
    const sink = await startSink()
    const result = await runFixture('child/exit-after-writes.mjs', {
      adapter: 'pino-transport',
      options: { output: { type: 'http', url: sink.url } },
      count: 10_000,
      ending: 'exit',
    })
    expect(result.code, result.stderr).toBe(0)
    const ids = (await sink.events()).map((e) => e.i as number)
    expect(ids).toEqual(Array.from({ length: 10_000 }, (_, i) => i))
  })

  it('says on stderr what was left when the sink does not answer within the exit budget', async () => {
    const sink = await startSink()
    await sink.setMode({ stall: true })
    const result = await runFixture('child/exit-after-writes.mjs', {
      adapter: 'pino-transport',
      options: { output: { type: 'http', url: sink.url }, closeTimeoutMs: 500 },
      count: 100,
      ending: 'exit-after-300ms',
    })
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(/logship\/pino: 100 events were not delivered within closeTimeoutMs \(500 ms\)/)
    expect(result.stderr.match(/not delivered|not acknowledged/g)).toHaveLength(1) // one line, one number
  })
})

describe("pinoDestination (pino writes into logship's ring on the app thread)", () => {
  it('ships every line in order as pino wrote it; pino.flush() waits for the sink', async () => {
    const sink = await startSink()
    const destination = pinoDestination({ output: { type: 'http', url: sink.url }, batch: { flushMs: 10 } })
    const logger = pino({ base: { service: 'api' } }, destination)
    for (let i = 0; i < 3000; i++) logger.info({ i }, 'hello')
    await flushed(logger)
    const events = await sink.events()
    expect(events.map((e) => e.i)).toEqual(Array.from({ length: 3000 }, (_, i) => i))
    expect(events[0]).toEqual({ level: 30, time: expect.any(Number), service: 'api', i: 0, msg: 'hello' })
    expect(destination.shipper.stats()).toMatchObject({ received: 3000, acked: 3000, dropped: 0 })
    await destination.end()
  })

  it('is recognised by pino when passed as its only argument', async () => {
    const sink = await startSink()
    const destination = pinoDestination({ output: { type: 'http', url: sink.url }, batch: { flushMs: 10 }, ecs: true })
    const logger = pino(destination)
    logger.error({ err: new Error('bad', { cause: new Error('worse') }) }, 'it broke')
    await flushed(logger)
    const [event] = await sink.events()
    expect(event).toMatchObject({
      log: { level: 'error' },
      message: 'it broke',
      error: { type: 'Error', message: 'bad: worse', stack_trace: expect.stringContaining('caused by: Error: worse') },
      ecs: { version: '8.10.0' },
    })
    await destination.end()
  })

  it('with whenFull: block, logger.info() waits for the stalled sink instead of buffering or dropping', async () => {
    // The sink lives in another process and releases its stalled replies by itself after a
    // while: this thread is really held inside logger.info() meanwhile.
    const sink = await startSinkProcess()
    await sink.setMode({ stall: true, stallMs: 1500 })
    const maxBytes = 16 * 1024
    const destination = pinoDestination({
      output: { type: 'http', url: sink.url },
      queue: { maxBytes, whenFull: 'block', maxBlockMs: 60_000, blockBudgetMs: 60_000 },
      batch: { maxEvents: 20, flushMs: 5 },
    })
    const logger = pino(destination)
    const n = 2000
    for (let i = 0; i < n; i++) logger.info({ i, pad: 'x'.repeat(40) }, 'blocking')
    const after = destination.shipper.stats()
    // The queue holds at most maxBytes: the loop can only have finished because logger.info()
    // waited until the sink acknowledged all but what fits in the queue.
    const lineBytes = JSON.stringify({ level: 30, time: Date.now(), pid: process.pid, hostname: 'x', i: 0, pad: 'x'.repeat(40), msg: 'blocking' }).length
    expect(after).toMatchObject({ received: n, dropped: 0 })
    expect(after.acked).toBeGreaterThanOrEqual(n - Math.ceil(maxBytes / lineBytes))
    expectLedgerBalanced(after)
    await flushed(logger)
    expect((await sink.events()).map((e) => e.i)).toEqual(Array.from({ length: n }, (_, i) => i))
    await destination.end()
  })

  it('with drop-newest (the default), the app keeps logging while the sink stalls and every drop is counted', async () => {
    const sink = await startSink()
    await sink.setMode({ stall: true })
    const destination = pinoDestination({ output: { type: 'http', url: sink.url }, queue: { maxBytes: 16 * 1024 }, batch: { maxEvents: 20, flushMs: 5 } })
    const drops: number[] = []
    destination.shipper.on('drop', (d) => drops.push(d.count))
    const logger = pino(destination)
    const n = 2000
    for (let i = 0; i < n; i++) logger.info({ i }, 'dropping')
    const during = destination.shipper.stats()
    expect(during.received).toBe(n)
    expect(during.droppedByReason.queue_full).toBeGreaterThan(0)
    expect(during.accepted + during.droppedByReason.queue_full).toBe(n)
    expect(during.acked).toBe(0) // nothing got through the stalled sink: the loop did not wait
    expectLedgerBalanced(during)
    await sink.setMode({ stall: false })
    await flushed(logger)
    const ids = (await sink.events()).map((e) => e.i)
    expect(ids).toEqual(Array.from({ length: during.accepted }, (_, i) => i))
    await waitFor(() => drops.reduce((a, b) => a + b, 0) === during.droppedByReason.queue_full, 'drop events adding up')
    const marker = (await allEvents(sink)).find(isLossMarker)
    expect(marker).toMatchObject({ logship: { dropped: during.droppedByReason.queue_full } })
    await destination.end()
  })

  it("with whenFull: sample keeps warn and above by pino's numeric levels", async () => {
    const sink = await startSink()
    await sink.setMode({ stall: true })
    const destination = pinoDestination({
      output: { type: 'http', url: sink.url },
      queue: { maxBytes: 64 * 1024, whenFull: 'sample' },
      sample: { watermark: 0.1, keepOneIn: 1000 },
      batch: { maxEvents: 20, flushMs: 5 },
    })
    const logger = pino(destination)
    for (let i = 0; i < 2000; i++) {
      if (i % 100 === 99) logger.warn({ i }, 'kept')
      else logger.info({ i }, 'sampled')
    }
    const s = destination.shipper.stats()
    expect(s.sampledOut).toBeGreaterThan(0)
    await sink.setMode({ stall: false })
    await flushed(logger)
    const warns = (await sink.events()).filter((e) => e.level === 40).map((e) => e.i)
    expect(warns).toEqual(Array.from({ length: 20 }, (_, k) => k * 100 + 99))
    await destination.end()
  })

  it('loses nothing when a child process logs 10,000 lines and calls process.exit(0)', async () => {
    const sink = await startSink()
    const result = await runFixture('child/exit-after-writes.mjs', {
      adapter: 'pino-destination',
      options: { output: { type: 'http', url: sink.url }, closeTimeoutMs: 20000 },
      count: 10_000,
      ending: 'exit',
    })
    expect(result.code, result.stderr).toBe(0)
    expect((await sink.events()).map((e) => e.i)).toEqual(Array.from({ length: 10_000 }, (_, i) => i))
  })
})
