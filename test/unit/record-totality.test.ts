import { describe, expect, afterEach } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { toRecordText } from '../../src/record/to-record.js'
import { isJsonObjectText } from '../../src/record/json-object-check.js'
import { Shipper } from '../../src/shipper/shipper.js'
import { anyEvent, deeplyNested } from '../helpers/nasty-values.js'

function expectOneJsonObjectLine(text: string): Record<string, unknown> {
  expect(text).not.toMatch(/[\n\r]/)
  expect(text.charCodeAt(0)).toBe(0x7b)
  const value: unknown = JSON.parse(text)
  expect(typeof value === 'object' && value !== null && !Array.isArray(value)).toBe(true)
  return value as Record<string, unknown>
}

/** What JSON.parse accepts as one object on one line starting with its brace (the scan's reference). */
function referenceCheck(text: string): boolean {
  if (text.charCodeAt(0) !== 0x7b || /[\n\r]/.test(text.replace(/"(?:[^"\\]|\\.)*"/g, '""'))) return false
  try {
    const v: unknown = JSON.parse(text)
    return typeof v === 'object' && v !== null && !Array.isArray(v)
  } catch {
    return false
  }
}

describe('toRecordText is total', () => {
  test.prop([anyEvent], { numRuns: 2000 })('never throws; gives one JSON object on one line, or nothing', (event) => {
    const text = toRecordText(event())
    if (text !== undefined) expectOneJsonObjectLine(text)
  })

  test.prop(
    [
      fc.oneof(
        fc.json(),
        fc.json().map((j) => j.replace(/,/, ' , ')),
        fc.string(),
        fc.json().map((j) => `${j.slice(0, 1)}${j.slice(2)}`),
        fc.json().map((j) => `{"k":${j}}`),
      ),
    ],
    { numRuns: 3000 },
  )('the JSON object scan agrees with JSON.parse', (text) => {
    expect(isJsonObjectText(text)).toBe(referenceCheck(text))
  })

  test('wraps what is not an object the way docs/api.md says', () => {
    expect(JSON.parse(toRecordText(new Date('2025-01-01T00:00:00.000Z'))!)).toEqual({ message: '2025-01-01T00:00:00.000Z' })
    expect(JSON.parse(toRecordText({ toJSON: () => 'text' })!)).toEqual({ message: 'text' })
    expect(JSON.parse(toRecordText({ toJSON: () => 7 })!)).toEqual({ message: '7' })
    expect(toRecordText({ toJSON: () => null })).toBeUndefined()
    expect(JSON.parse(toRecordText("{'a': 1}")!)).toEqual({ message: "{'a': 1}" })
    expect(JSON.parse(toRecordText('{oops}')!)).toEqual({ message: '{oops}' })
    expect(JSON.parse(toRecordText('{\n "a": 1\n}')!)).toEqual({ a: 1 })
    expect(JSON.parse(toRecordText(new Set([1]))!)).toEqual({ message: [1] })
    expect(
      JSON.parse(
        toRecordText({
          toJSON: () => {
            throw new Error('no')
          },
          x: 1,
        })!,
      ),
    ).toEqual({ message: '[Unserializable: Error: no]' })
    const { proxy, revoke } = Proxy.revocable({}, {})
    revoke()
    expect(JSON.parse(toRecordText(proxy)!).message).toMatch(/^\[Unserializable: TypeError: /)
    const deep = JSON.stringify(JSON.parse(toRecordText(deeplyNested(10_000))!))
    expect(deep).toContain('"[Too deep]"')
  })
})

describe('write() is total', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  test.prop([fc.array(anyEvent, { minLength: 1, maxLength: 60 })], { numRuns: 40 })(
    'never throws, every shipped record is a JSON object, and the ledger adds up',
    async (events) => {
      const dir = mkdtempSync(join(tmpdir(), 'logship-total-'))
      dirs.push(dir)
      const path = join(dir, 'out.ndjson')
      const shipper = new Shipper({ output: { type: 'file', path }, thread: 'main', handleExit: false, fields: { service: { name: 'totality' } } })
      let accepted = 0
      for (const event of events) if (shipper.write(event())) accepted++
      await shipper.close()
      const lines = existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : []
      for (const line of lines) expect(expectOneJsonObjectLine(line).service).toEqual({ name: 'totality' })
      const s = shipper.stats()
      expect(s.received).toBe(events.length)
      expect(s.acked).toBe(accepted)
      expect(s.acked + s.dropped + s.sampledOut + s.failed + s.queuedEvents + s.inFlightEvents).toBe(s.received)
      expect(s.dropped).toBe(s.droppedByReason.invalid)
      // every accepted event is one line (a loss marker may add one for the invalid ones)
      expect(lines.filter((l) => !l.includes('"logship dropped')).length).toBe(accepted)
    },
  )
})
