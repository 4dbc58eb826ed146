import { describe, it, expect } from 'vitest'
import { createShipper, OptionError } from 'logship'
import { startSink } from '../helpers/sink.js'
import { expectLedgerBalanced } from '../helpers/ledger.js'

describe('bad input never throws out of write() and is shipped or counted', () => {
  it('ships circular objects, BigInt, Errors with causes, Maps, throwing getters and lone surrogates', async () => {
    const sink = await startSink()
    const shipper = createShipper({ output: { type: 'http', url: sink.url }, batch: { flushMs: 5 } })
    const circular: Record<string, unknown> = { name: 'loop' }
    circular.self = circular
    const withGetter = Object.defineProperty({ ok: 1 }, 'bad', {
      enumerable: true,
      get() {
        throw new Error('getter exploded')
      },
    })
    const err = new Error('outer', { cause: new TypeError('inner') })
    Object.assign(err, { code: 'E_OUTER' })
    const inputs: unknown[] = [
      { n: 1, circular },
      { n: 2, big: 12345678901234567890n },
      { n: 3, err },
      { n: 4, fn() {}, sym: Symbol('s'), undef: undefined, [Symbol('key')]: 1 },
      { n: 5, map: new Map([['a', 1]]) },
      { n: 6, withGetter },
      { n: 7, text: 'lone \uD800 surrogate' },
      'lone \uDC00 surrogate as a string',
      Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x39, 0x2c, 0x22, 0x73, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), // {"n":9,"s":"\xff\xfe"}
    ]
    for (const input of inputs) expect(() => shipper.write(input)).not.toThrow()
    expect(shipper.writeRecord(Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x31, 0x30, 0x2c, 0x22, 0x73, 0x22, 0x3a, 0x22, 0xc3, 0x22, 0x7d]))).toBe(true)
    await shipper.flush()
    const got = await sink.events()
    expect(got).toHaveLength(10)
    expect(got[0]).toMatchObject({ n: 1, circular: { name: 'loop', self: '[Circular]' } })
    expect(got[1]).toMatchObject({ n: 2, big: '12345678901234567890' })
    expect(got[2]).toMatchObject({ n: 3, err: { name: 'Error', message: 'outer', code: 'E_OUTER', cause: { name: 'TypeError', message: 'inner' } } })
    expect((got[2]!.err as { stack: string }).stack).toContain('outer')
    expect(got[3]).toEqual(expect.objectContaining({ n: 4 }))
    expect(Object.keys(got[3]!).sort()).toEqual(['@timestamp', 'n'])
    expect(got[4]).toMatchObject({ n: 5, map: { a: 1 } })
    expect(got[5]).toMatchObject({ n: 6, withGetter: { ok: 1, bad: '[Unreadable: getter exploded]' } })
    expect(got[6]).toMatchObject({ n: 7, text: 'lone \uD800 surrogate' })
    expect(got[7]).toMatchObject({ message: 'lone \uDC00 surrogate as a string' })
    expect(got[8]).toMatchObject({ n: 9, s: '\uFFFD\uFFFD' })
    expect(got[9]).toMatchObject({ n: 10, s: '\uFFFD' })
    await shipper.close()
  })

  it('a top-level Error is shipped with name, message and stack', async () => {
    const sink = await startSink()
    const shipper = createShipper({ output: { type: 'http', url: sink.url }, batch: { flushMs: 5 } })
    shipper.write(new RangeError('out of range'))
    await shipper.flush()
    expect((await sink.events())[0]).toMatchObject({ name: 'RangeError', message: 'out of range' })
    await shipper.close()
  })

  it('rejects nothing-to-ship values and oversized events with a counted reason, and keeps going', async () => {
    const sink = await startSink()
    const shipper = createShipper({ output: { type: 'http', url: sink.url }, queue: { maxBytes: 64 * 1024 }, batch: { flushMs: 5 } })
    const drops: { reason: string; count: number }[] = []
    shipper.on('drop', (d) => drops.push(d))
    expect(shipper.write(undefined)).toBe(false)
    expect(shipper.write(null)).toBe(false)
    expect(shipper.write(() => 1)).toBe(false)
    expect(shipper.write({ huge: 'x'.repeat(200 * 1024) })).toBe(false)
    expect(shipper.write({ after: 'still works' })).toBe(true)
    await shipper.flush()
    const s = shipper.stats()
    expect(s.droppedByReason).toMatchObject({ invalid: 3, too_large: 1 })
    expectLedgerBalanced(s)
    expect(await sink.events()).toEqual([expect.objectContaining({ after: 'still works' })])
    await new Promise((r) => setImmediate(r))
    expect(drops).toEqual(
      expect.arrayContaining([
        { reason: 'invalid', count: 3 },
        { reason: 'too_large', count: 1 },
      ]),
    )
    await shipper.close()
  })

  it('counts writes after close instead of throwing', async () => {
    const sink = await startSink()
    const shipper = createShipper({ output: { type: 'http', url: sink.url } })
    await shipper.close()
    expect(shipper.write({ late: true })).toBe(false)
    expect(shipper.stats().droppedByReason.closed).toBe(1)
  })
})

describe('invalid options get one clear error naming the key, the value and what is allowed', () => {
  const cases: [string, unknown, RegExp][] = [
    ['no output', {}, /output: missing/],
    ['unknown output type', { output: { type: 'ftp' } }, /output\.type: got "ftp"; expected one of "http" \| "console" \| "file"/],
    ['bad url', { output: { type: 'http', url: 'not a url' } }, /output\.url: got "not a url"; expected an http:\/\/ or https:\/\/ URL/],
    [
      'bad policy',
      { output: { type: 'console' }, queue: { whenFull: 'explode' } },
      /queue\.whenFull: got "explode"; expected one of "drop-newest"\|"drop-oldest"\|"block"\|"sample"/,
    ],
    ['negative size', { output: { type: 'console' }, queue: { maxBytes: -5 } }, /queue\.maxBytes: got -5; expected at least 4096 bytes \(4kb\)/],
    ['size string', { output: { type: 'console' }, queue: { maxBytes: 'lots' } }, /queue\.maxBytes: got "lots"; expected a byte size such as 4096/],
    ['typo key', { output: { type: 'console' }, batch: { maxEvent: 10 } }, /batch: unknown key "maxEvent"; did you mean "maxEvents"\?/],
    [
      'retry order',
      { output: { type: 'console' }, retry: { initialDelayMs: 5000, maxDelayMs: 10 } },
      /retry\.maxDelayMs: got 10; expected maxDelayMs at least as long as initialDelayMs/,
    ],
    ['watermark', { output: { type: 'console' }, sample: { watermark: 2 } }, /sample\.watermark: got 2; expected a ratio of at most 1/],
    ['thread', { output: { type: 'console' }, thread: 'fiber' }, /thread: got "fiber"; expected one of "worker"\|"main"/],
    ['not an object', 'console', /options: got string; expected an object/],
  ]
  for (const [name, options, message] of cases) {
    it(`${name}`, () => {
      let error: unknown
      try {
        createShipper(options as never)
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(OptionError)
      expect((error as OptionError).code).toBe('LOGSHIP_ERR_OPTION_INVALID')
      expect((error as Error).message).toMatch(message)
    })
  }

  it('accepts sizes as strings and pino transport keys', () => {
    const shipper = createShipper({ output: { type: 'console' }, queue: { maxBytes: '2mb' }, $context: {}, pinoWillSendConfig: true, handleExit: false } as never)
    expect(shipper.options.queue.maxBytes).toBe(2 * 1024 * 1024)
    return shipper.close()
  })

  it('never echoes a secret in an error', () => {
    expect(() => createShipper({ output: { type: 'http', url: 'http://x', headers: { authorization: 42 } } } as never)).toThrow(/output\.headers\.authorization: got \(hidden\)/)
  })
})
