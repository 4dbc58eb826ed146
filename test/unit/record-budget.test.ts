import { describe, expect } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { toRecordText } from '../../src/record/to-record.js'
import { safeStringify } from '../../src/record/safe-json.js'

/** A binary tree `depth` levels deep whose nodes getters build on every read (never the same object twice). */
function lazyTree(depth: number): object {
  if (depth === 0) return { leaf: 'x' }
  return {
    get left() {
      return lazyTree(depth - 1)
    },
    get right() {
      return lazyTree(depth - 1)
    },
  }
}

describe('the careful serializer stops at its length limit', () => {
  test.prop([fc.integer({ min: 12, max: 20 }), fc.integer({ min: 256, max: 1 << 16 })], { numRuns: 30 })(
    'a getter-built tree too large for the limit becomes one short Unserializable message',
    (depth, maxChars) => {
      // an Error inside sends the event down the careful path, as JSON.stringify would drop it
      const text = toRecordText({ tree: lazyTree(depth), err: new Error('e') }, maxChars)!
      expect(text.length).toBeLessThan(1024)
      expect(JSON.parse(text)).toEqual({
        message: `[Unserializable: TooLongError: its JSON would be longer than ${maxChars} characters, more than the queue takes in one record (an endless tree of objects, e.g. getters that build a new object on every read?)]`,
      })
    },
  )

  // the limit counts one more per property read and per element than the text holds (a read costs time even when it gives nothing)
  test.prop([fc.jsonValue()], { numRuns: 300 })('well within the limit the text is what JSON.stringify gives', (value) => {
    const native = JSON.stringify(value)
    expect(safeStringify(value, 2 * native.length)).toBe(native)
  })
})
