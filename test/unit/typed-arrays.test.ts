import { describe, expect, it } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { toRecordText } from '../../src/record/to-record.js'
import { processWritten } from '../../src/processors/apply.js'
import { compileProcessors } from '../../src/processors/compile.js'

// Every typed array was taken for bytes: a Float64Array of measurements was shipped as the
// UTF-8 reading of its memory (`{"message":"\u0000\u0000\u0000\u0000\u0000\u0000�?"}`), the
// numbers lost. Bytes are Uint8Array (Buffer), Uint8ClampedArray, Int8Array and DataView;
// other typed arrays are lists of numbers, shipped as an array is.

const numberArrays = fc.oneof(
  fc.array(fc.double({ noNaN: true, noDefaultInfinity: true })).map((a) => new Float64Array(a)),
  fc.array(fc.float({ noNaN: true, noDefaultInfinity: true })).map((a) => new Float32Array(a)),
  fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })).map((a) => new Int32Array(a)),
  fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 })).map((a) => new Uint32Array(a)),
  fc.array(fc.integer({ min: -32768, max: 32767 })).map((a) => new Int16Array(a)),
  fc.array(fc.integer({ min: 0, max: 65535 })).map((a) => new Uint16Array(a)),
)

describe('typed arrays that are not bytes', () => {
  test.prop([numberArrays], { numRuns: 300 })('are shipped as {"message": [their numbers]}', (array) => {
    const expected = { message: JSON.parse(JSON.stringify(Array.from(array))) as unknown }
    expect(JSON.parse(toRecordText(array)!)).toEqual(expected)
    expect(JSON.parse(processWritten(compileProcessors([{ add_fields: { fields: { x: 1 } } }])!, array)!)).toMatchObject(expected)
  })

  it('BigInt64Array values as strings, as BigInt is everywhere', () => {
    expect(JSON.parse(toRecordText(new BigInt64Array([1n, -(2n ** 63n)]))!)).toEqual({ message: ['1', '-9223372036854775808'] })
  })

  it('bytes are still the text they hold', () => {
    const text = '{"a":1}'
    expect(toRecordText(Buffer.from(text))).toBe(text)
    expect(toRecordText(new Uint8ClampedArray(Buffer.from(text)))).toBe(text)
    expect(toRecordText(new DataView(Buffer.from(text).buffer.slice(0)))).toBeDefined()
  })
})
