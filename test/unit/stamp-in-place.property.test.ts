import { expect, it } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { mentionsTimeKey, Stamper, timeKeyNearStart } from '../../src/engine/stamp.js'

// pieces near the keys and their near misses; the bytes around a record may complete a key
// the record only starts or ends (a ring holds other records and frame headers around it)
const piece = fc.constantFrom(
  '"time"',
  '"@timestamp"',
  'time',
  '"time',
  'time"',
  '@timestamp"',
  '"@time',
  'stamp"',
  '"@timest',
  'amp"',
  '"@',
  '"',
  '@',
  't',
  'x',
  ':',
  ',',
  '{',
  '}',
  'é',
  'a'.repeat(40),
)
const text = fc.array(piece, { maxLength: 30 }).map((p) => p.join(''))

test.prop([text, text, text, fc.constantFrom(undefined, { app: 'a' })])(
  'a record looked at in place, with other bytes around it, ships as is only when its own plan says so',
  (before, record, after, fields) => {
    const bytes = Buffer.from(before + record + after)
    const start = Buffer.byteLength(before)
    const end = start + Buffer.byteLength(record)
    const view = bytes.subarray(start, end)
    // a key found near the start is one the record has
    if (timeKeyNearStart(bytes, start, end)) expect(mentionsTimeKey(Buffer.from(view))).toBe(true)
    const stamper = new Stamper(fields)
    const now = 1764000000000
    if (stamper.shipsAsIsAt(bytes, start, end)) expect(stamper.plan(Buffer.from(view), now)).toBeUndefined()
  },
)

it('does not take a key the bytes after the record complete for one inside it', () => {
  const record = '{"a":"x@timest'.replace('x', '"') // ends in the first 8 bytes of "@timestamp"
  const bytes = Buffer.from(`${record}amp":1}`)
  expect(timeKeyNearStart(bytes, 0, Buffer.byteLength(record))).toBe(false)
  expect(timeKeyNearStart(Buffer.from(`{"b":"time" ${record}amp"`), 0, 10)).toBe(false) // "time" ends at the record's end, its quote after it
})
