import { describe, expect } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { mentionsTimeKey } from '../../src/engine/stamp.js'

/** The definition the one-pass scan must match: either key's text anywhere in the record. */
const reference = (record: Buffer): boolean => record.indexOf('"@timestamp"') !== -1 || record.indexOf('"time"') !== -1

// records made of pieces near the keys (and of their near misses), before and after the
// 128th byte where the scan switches from a byte loop to native search
const piece = fc.constantFrom(
  '"time"',
  '"@timestamp"',
  'time',
  '"time',
  'time"',
  '@timestamp"',
  '"@time"',
  '"@timestam"',
  '"timestamp"',
  '"Time"',
  '"',
  '@',
  't',
  'x',
  ':',
  ',',
  '{',
  '}',
  'é',
  'a'.repeat(60),
)

describe('stamper: does a record have a time key', () => {
  test.prop([fc.array(piece, { maxLength: 40 })])('matches the search for "@timestamp" or "time" anywhere', (pieces) => {
    const record = Buffer.from(pieces.join(''))
    expect(mentionsTimeKey(record)).toBe(reference(record))
  })

  test.prop([fc.string({ unit: 'binary', maxLength: 300 })])('matches it on arbitrary text', (text) => {
    const record = Buffer.from(text)
    expect(mentionsTimeKey(record)).toBe(reference(record))
  })
})
