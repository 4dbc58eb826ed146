import { describe, it, expect } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { createShipper } from 'logship'
import { startSink } from '../helpers/sink.js'

// offerText/offerRecord are write() for producers that wait instead of dropping (tail mode,
// the pino transport with whenFull: block). They must keep write()'s promises: a durable queue
// puts the record on disk, and processors run on it.

const DOWN = 'http://127.0.0.1:9/ingest' // the discard port: nothing listens
const fast = { initialDelayMs: 5, maxDelayMs: 20 }

describe('records offered instead of written', () => {
  it('a durable queue keeps them on disk: a later shipper with the same spill delivers every one', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'logship-offer-')), 'spill')
    const writer = createShipper({ output: { type: 'http', url: DOWN }, queue: { durable: true, spill: { dir } }, closeTimeoutMs: 50, handleExit: false })
    writer.on('error', () => {})
    for (let i = 0; i < 30; i++) expect(writer.offerText(`{"i":${i}}`)).toBe('accepted')
    for (let i = 30; i < 60; i++) expect(writer.offerRecord(Buffer.from(`{"i":${i}}`))).toBe('accepted')
    await writer.close()

    const sink = await startSink()
    const replay = createShipper({ output: { type: 'http', url: sink.url }, retry: fast, queue: { durable: true, spill: { dir } }, batch: { flushMs: 10 }, handleExit: false })
    replay.on('error', () => {})
    await replay.flush()
    await replay.close()
    const ids = (await sink.events()).map((e) => e.i as number)
    expect(ids).toEqual(Array.from({ length: 60 }, (_, i) => i))
    await sink.close()
  })

  it('processors run on them, as on written events', async () => {
    const sink = await startSink()
    const shipper = createShipper({
      output: { type: 'http', url: sink.url },
      processors: [{ drop_fields: { fields: ['secret'], ignoreMissing: true } }, { drop_event: { when: { equals: { kind: 'noise' } } } }],
      batch: { flushMs: 10 },
      handleExit: false,
      thread: 'main',
    })
    expect(shipper.offerText('{"i":1,"secret":"s"}')).toBe('accepted')
    expect(shipper.offerRecord(Buffer.from('{"i":2,"secret":"s"}'))).toBe('accepted')
    expect(shipper.offerText('{"i":3,"kind":"noise"}')).toBe('accepted')
    await shipper.flush()
    await shipper.close()
    const events = await sink.events()
    expect(events.map((e) => [e.i, e.secret])).toEqual([
      [1, undefined],
      [2, undefined],
    ])
    expect(shipper.filtered).toBe(1)
    await sink.close()
  })

  it('given another type than they take (a caller in plain JavaScript), they ship what write() would, and never throw', async () => {
    const sink = await startSink()
    const shipper = createShipper({ output: { type: 'http', url: sink.url }, batch: { flushMs: 10 }, handleExit: false })
    const offerText = shipper.offerText.bind(shipper) as (value: unknown) => string
    const offerRecord = shipper.offerRecord.bind(shipper) as (value: unknown) => string
    expect(offerText(42)).toBe('accepted')
    expect(offerText({ a: 1 })).toBe('accepted')
    expect(offerText(Buffer.from('{"b":2}'))).toBe('accepted')
    expect(offerRecord('{"c":3}')).toBe('accepted')
    const bytes = Buffer.from('{"d":4}')
    expect(offerRecord(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength))).toBe('accepted')
    expect(offerRecord(new Float64Array([1.5]))).toBe('accepted')
    // nothing to ship: counted as write() counts it, and taken (never offered again)
    expect(offerText(null)).toBe('accepted')
    expect(offerRecord(undefined)).toBe('accepted')
    await shipper.flush()
    await shipper.close()
    expect(await sink.events()).toEqual([{ message: '42' }, { a: 1 }, { b: 2 }, { c: 3 }, { d: 4 }, { message: [1.5] }].map((e) => expect.objectContaining(e)))
    expect(shipper.stats().droppedByReason.invalid).toBe(2)
    await sink.close()
  })
})
