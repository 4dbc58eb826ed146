import { describe, it, expect } from 'vitest'
import { mkdtempSync, mkdirSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { crc32 } from 'node:zlib'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createShipper } from 'logship'
import { encodeFrame, HEADER_BYTES } from '../../src/spill/frame.js'
import { startSink } from '../helpers/sink.js'
import { expectLedgerBalanced } from '../helpers/ledger.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const tmp = (): string => {
  mkdirSync(join(ROOT, '.tmp'), { recursive: true })
  return mkdtempSync(join(ROOT, '.tmp', 'spill-corrupt-'))
}

const record = (id: number): Buffer => Buffer.from(JSON.stringify({ id, pad: 'r'.repeat(40 + (id % 7)) }))
const frames = (from: number, to: number): Buffer[] => Array.from({ length: to - from }, (_, i) => encodeFrame(record(from + i), from + i))

/** Writes segments (each a list of byte strings) as a previous run would have left them, cursor at 0. */
function craft(segments: Buffer[][]): string {
  const dir = join(tmp(), 'spill')
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  let position = 0
  for (const parts of segments) {
    const bytes = Buffer.concat(parts)
    writeFileSync(join(dir, `${String(position).padStart(16, '0')}.seg`), bytes, { mode: 0o600 })
    position += bytes.length
  }
  writeFileSync(join(dir, 'cursor'), '0 0\n', { mode: 0o600 })
  return dir
}

/** A frame whose header is consistent (its own CRC matches) but claims `length` payload bytes. */
function withLength(frame: Buffer, length: number): Buffer {
  const copy = Buffer.from(frame)
  copy.writeUInt32LE(length, 4)
  copy.writeUInt32LE(crc32(copy.subarray(0, 20)), 20)
  return copy
}

function flipped(frame: Buffer, at: number): Buffer {
  const copy = Buffer.from(frame)
  copy[at]! ^= 0xff
  return copy
}

async function replay(dir: string) {
  const sink = await startSink()
  const errors: string[] = []
  const shipper = createShipper({
    output: { type: 'http', url: sink.url },
    retry: { initialDelayMs: 5, maxDelayMs: 20 },
    queue: { durable: true, spill: { dir } },
    batch: { flushMs: 10 },
    handleExit: false,
  })
  shipper.on('error', (e) => errors.push(e.message))
  await shipper.flush()
  const stats = shipper.stats()
  await shipper.close()
  return { ids: (await sink.events()).map((e) => e.id as number), stats, errors }
}

const range = (from: number, to: number, without: number[] = []): number[] => Array.from({ length: to - from }, (_, i) => from + i).filter((id) => !without.includes(id))

describe('crafted spill segments: exact delivered and lost counts', () => {
  const cases: { name: string; segments: () => Buffer[][]; delivered: number[]; lost: number }[] = [
    {
      name: 'a bad payload CRC (one flipped byte)',
      segments: () => {
        const f = frames(0, 10)
        f[5] = flipped(f[5]!, HEADER_BYTES + 10)
        return [f]
      },
      delivered: range(0, 10, [5]),
      lost: 1,
    },
    {
      name: 'a bad length (header CRC no longer matches)',
      segments: () => {
        const f = frames(0, 10)
        f[3] = flipped(f[3]!, 5)
        return [f]
      },
      delivered: range(0, 10, [3]),
      lost: 1,
    },
    {
      name: 'a length of 500 MiB with a consistent header, in the middle of the last segment',
      segments: () => {
        const f = frames(0, 10)
        f[4] = withLength(f[4]!, 500 * 1024 * 1024)
        return [f]
      },
      delivered: range(0, 10, [4]),
      lost: 1,
    },
    {
      name: 'a length that runs past the end of a finished segment',
      segments: () => {
        const a = frames(0, 10)
        a[9] = withLength(a[9]!, a[9]!.length + 100)
        return [a, frames(10, 20)]
      },
      delivered: range(0, 20, [9]),
      lost: 1,
    },
    {
      name: 'a length slightly off, with a consistent header (the payload CRC then fails)',
      segments: () => {
        const f = frames(0, 10)
        f[6] = withLength(f[6]!, f[6]!.length - HEADER_BYTES - 3)
        return [f]
      },
      delivered: range(0, 10, [6]),
      lost: 1,
    },
    {
      name: 'garbage between two frames',
      segments: () => {
        const f = frames(0, 10)
        f.splice(5, 0, Buffer.alloc(100, 0x5a))
        return [f]
      },
      delivered: range(0, 10),
      lost: 0,
    },
    {
      name: 'a truncated tail (a crash mid-write)',
      segments: () => {
        const f = frames(0, 10)
        f[9] = f[9]!.subarray(0, 30)
        return [f]
      },
      delivered: range(0, 9),
      lost: 1,
    },
    {
      name: 'a damaged first frame',
      segments: () => {
        const f = frames(0, 10)
        f[0] = flipped(f[0]!, 0)
        return [f]
      },
      delivered: range(1, 10),
      lost: 1,
    },
    {
      name: 'three damaged frames in a row at the end of a segment, the next segment intact',
      segments: () => {
        const a = frames(0, 10)
        for (const i of [7, 8, 9]) a[i] = flipped(a[i]!, HEADER_BYTES + 2)
        return [a, frames(10, 15)]
      },
      delivered: range(0, 15, [7, 8, 9]),
      lost: 3,
    },
  ]

  for (const c of cases) {
    it(`${c.name}: delivers ${c.delivered.length}, counts ${c.lost} as dropped (corrupt)`, async () => {
      const { ids, stats, errors } = await replay(craft(c.segments()))
      expect(ids).toEqual(c.delivered)
      expect(stats.acked).toBe(c.delivered.length)
      expect(stats.droppedByReason.corrupt).toBe(c.lost)
      expect(stats.received).toBe(c.delivered.length + c.lost)
      expect(stats.corrupt).toBeGreaterThan(0)
      expect(errors.join('\n')).toMatch(/damaged|torn/)
      expectLedgerBalanced(stats)
    })
  }

  it('a 5 GiB segment (sparse: good frames, then zeros) does not fail start-up; its records are delivered, the zeros cut off as one torn record', async () => {
    const dir = craft([frames(0, 10)])
    const segment = join(dir, '0000000000000000.seg')
    truncateSync(segment, 5 * 1024 ** 3) // holes read as zeros: a torn, never-finished tail
    const { ids, stats } = await replay(dir)
    expect(ids).toEqual(range(0, 10))
    expect(stats.acked).toBe(10)
    expect(stats.droppedByReason.corrupt).toBe(1) // the tail counts as one torn record
    expectLedgerBalanced(stats)
    expect(statSync(segment, { throwIfNoEntry: false })?.size ?? 0).toBeLessThan(1024 ** 2) // the tail was cut off
  })
})
