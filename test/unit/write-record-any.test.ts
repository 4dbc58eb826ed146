import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { Shipper } from '../../src/shipper/shipper.js'
import { anyEvent } from '../helpers/nasty-values.js'

// writeRecord(bytes) is called from JavaScript too, where nothing checks the type: a string,
// an object or null used to throw out of it (isUtf8 / byteLength), after `received` was
// counted, so the app crashed and the ledger never added up again.
describe('writeRecord given anything at all', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  test.prop([fc.array(anyEvent, { minLength: 1, maxLength: 40 }), fc.boolean()], { numRuns: 30 })(
    'never throws, ships what write() would ship, and the ledger adds up',
    async (events, withProcessors) => {
      const dir = mkdtempSync(join(tmpdir(), 'logship-record-'))
      dirs.push(dir)
      const path = join(dir, 'out.ndjson')
      const processors = withProcessors ? [{ add_fields: { fields: { env: 'test' } } }] : undefined
      const shipper = new Shipper({ output: { type: 'file', path }, thread: 'main', handleExit: false, processors })
      let accepted = 0
      for (const event of events) if (shipper.writeRecord(event() as Uint8Array)) accepted++
      await shipper.close()
      const lines = existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : []
      for (const line of lines) expect(typeof JSON.parse(line)).toBe('object')
      const s = shipper.stats()
      expect(s.received).toBe(events.length - shipper.filtered)
      expect(s.acked).toBe(accepted)
      expect(s.acked + s.dropped + s.sampledOut + s.failed + s.queuedEvents + s.inFlightEvents).toBe(s.received)
      expect(lines.filter((l) => !l.includes('"logship dropped')).length).toBe(accepted)
    },
  )

  test('a string or a plain object is shipped as write() ships it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logship-record-'))
    dirs.push(dir)
    const path = join(dir, 'out.ndjson')
    const shipper = new Shipper({ output: { type: 'file', path }, thread: 'main', handleExit: false })
    expect(shipper.writeRecord('{"a":1}' as unknown as Uint8Array)).toBe(true)
    expect(shipper.writeRecord({ b: 2 } as unknown as Uint8Array)).toBe(true)
    expect(shipper.writeRecord(null as unknown as Uint8Array)).toBe(false)
    await shipper.close()
    const shipped = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((r) => !('logship' in r) && typeof r.message !== 'string')
    expect(shipped).toMatchObject([{ a: 1 }, { b: 2 }])
    expect(shipper.stats()).toMatchObject({ received: 3, acked: 2, droppedByReason: { invalid: 1 } })
  })
})
