import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createShipper, OptionError } from '../../../src/index.js'
import { tempDir } from '../../helpers/cli.js'

describe('createShipper({ processors })', () => {
  it('runs the chain on each written event (objects, JSON text and bytes alike) without touching the caller object; drop_event drops', async () => {
    const dir = tempDir('lib-processors')
    const path = join(dir, 'out.ndjson')
    const shipper = createShipper({
      output: { type: 'file', path },
      thread: 'main',
      handleExit: false,
      processors: [
        { drop_event: { when: { equals: { level: 'debug' } } } },
        { rename: { fields: [{ from: 'msg', to: 'message' }], ignoreMissing: true } },
        { fingerprint: { fields: ['message'], targetField: '@metadata._id', method: 'sha1' } },
        { add_fields: { target: 'labels', fields: { app: 'shop' } } },
      ],
    })
    const event = { level: 'info', msg: 'hello' }
    expect(shipper.write(event)).toBe(true)
    expect(event).toEqual({ level: 'info', msg: 'hello' })
    expect(shipper.write({ level: 'debug', msg: 'noise' })).toBe(true)
    expect(shipper.write('{"level":"warn","msg":"as text"}')).toBe(true)
    expect(shipper.writeRecord(Buffer.from('{"level":"error","msg":"as bytes"}'))).toBe(true)
    expect(shipper.write('plain text')).toBe(true)
    // nothing to ship is refused as without processors (counted as invalid), not filtered
    expect(shipper.write(undefined)).toBe(false)
    expect(shipper.writeRecord(new Uint8Array(0))).toBe(false)
    await shipper.close()
    const all = readFileSync(path, 'utf8').trim().split('\n')
    // the loss marker for the two refused writes is the engine's own event, not processed
    expect(all.filter((l) => l.includes('logship dropped 2 events (invalid: 2)'))).toHaveLength(1)
    const lines = all.filter((l) => !l.includes('logship dropped'))
    const events = lines.map((l) => JSON.parse(l))
    expect(events.map((e) => e.message)).toEqual(['hello', 'as text', 'as bytes', 'plain text'])
    expect(events.every((e) => e.labels.app === 'shop' && /^[0-9a-f]{40}$/.test(e['@metadata']._id))).toBe(true)
    // the id comes first, where the Elasticsearch output looks for it
    expect(lines.every((l) => l.startsWith('{"@metadata":{"_id":"'))).toBe(true)
    expect(shipper.filtered).toBe(1)
    expect(shipper.stats().received).toBe(6)
    expect(shipper.stats().droppedByReason.invalid).toBe(2)
  })

  it('refuses a bad processor list with an OptionError naming the index, processor and key', () => {
    expect(() =>
      createShipper({ output: { type: 'console' }, handleExit: false, processors: [{ add_fields: { fields: { a: 1 } } }, { dissect: { tokenizer: '%{a}%{b}' } }] }),
    ).toThrow(OptionError)
    try {
      createShipper({ output: { type: 'console' }, handleExit: false, processors: [{ add_fields: { fields: { a: 1 } } }, { dissect: { tokenizer: '%{a}%{b}' } }] })
    } catch (err) {
      expect((err as Error).message).toMatch(/processors\[1\]\.dissect\.tokenizer: got "%\{a\}%\{b\}"; keys a and b have no text between them/)
    }
  })
})
