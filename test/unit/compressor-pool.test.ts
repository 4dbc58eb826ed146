import { randomBytes } from 'node:crypto'
import { gunzipSync, inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { CompressorPool } from '../../src/util/compressor-pool.js'

const decompress = { deflate: inflateSync, gzip: gunzipSync }

/** Text that compresses (log lines) or bytes that do not (their output spans several 64 KiB chunks). */
const input = fc.oneof(
  fc.record({ kind: fc.constant('text' as const), lines: fc.nat({ max: 3000 }), seed: fc.nat() }),
  fc.record({ kind: fc.constant('random' as const), bytes: fc.nat({ max: 300_000 }) }),
)

type InputSpec = { kind: 'text'; lines: number; seed: number } | { kind: 'random'; bytes: number }

function bytesOf(spec: InputSpec): Buffer {
  if (spec.kind === 'random') return randomBytes(spec.bytes)
  let text = ''
  for (let i = 0; i < spec.lines; i++) text += `{"message":"request ${(spec.seed + i * 7919) % 100_003}","level":"info","n":${i}}\n`
  return Buffer.from(text)
}

describe('CompressorPool (zlib streams used again, one complete stream per input)', () => {
  test.prop(
    [
      fc.constantFrom('deflate' as const, 'gzip' as const),
      fc.integer({ min: 1, max: 9 }),
      fc.integer({ min: 1, max: 6 }),
      fc.array(fc.array(input, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 }),
    ],
    {
      numRuns: 25,
    },
  )('every output decompresses to its input, whatever the sizes, levels and compressions at once', async (format, level, atOnce, rounds) => {
    const pool = new CompressorPool({ format, level, atOnce })
    for (const round of rounds) {
      const inputs = round.map(bytesOf)
      // started together: more at once than the pool keeps, so fresh and reused streams mix
      const outputs = await Promise.all(inputs.map((bytes) => pool.compress(bytes)))
      outputs.forEach(({ chunks, length }, i) => {
        const whole = Buffer.concat(chunks)
        expect(whole.length).toBe(length)
        expect(decompress[format](whole).equals(inputs[i]!)).toBe(true)
      })
    }
    pool.close()
  })

  it('gives one buffer for an HTTP body, strings compressed as UTF-8, and still works after close()', async () => {
    const pool = new CompressorPool({ format: 'gzip', level: 1, atOnce: 2 })
    const text = 'grüße, 日本語, 🎉\n'.repeat(5000)
    expect(gunzipSync(await pool.compressToBuffer(text)).toString('utf8')).toBe(text)
    const noise = randomBytes(400_000) // > 64 KiB of output: several chunks joined
    expect(gunzipSync(await pool.compressToBuffer(noise)).equals(noise)).toBe(true)
    pool.close()
    expect(gunzipSync(await pool.compressToBuffer('after close')).toString()).toBe('after close')
  })

  it('an empty input is a complete, empty stream', async () => {
    const pool = new CompressorPool({ format: 'deflate', level: 3, atOnce: 1 })
    const first = await pool.compress(Buffer.alloc(0))
    expect(inflateSync(Buffer.concat(first.chunks)).length).toBe(0)
    const second = await pool.compress(Buffer.from('x'))
    expect(inflateSync(Buffer.concat(second.chunks)).toString()).toBe('x')
    pool.close()
  })
})
