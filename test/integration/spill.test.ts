import { describe, it, expect } from 'vitest'
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createShipper } from 'logship'
import { startSink } from '../helpers/sink.js'
import { runFixture } from '../helpers/child.js'
import { expectLedgerBalanced } from '../helpers/ledger.js'
import { waitFor } from '../helpers/wait.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const tmp = (): string => {
  mkdirSync(join(ROOT, '.tmp'), { recursive: true })
  return mkdtempSync(join(ROOT, '.tmp', 'spill-'))
}
const DOWN = 'http://127.0.0.1:9/ingest' // the discard port: nothing listens, connections are refused
const fast = { initialDelayMs: 5, maxDelayMs: 20 }

/** A child that writes events with ids in durable mode to a dead sink, printing progress. */
function startDurableWriter(dir: string, n: number): { child: ReturnType<typeof spawn>; accepted: () => number } {
  const script = join(dir, 'writer.mjs')
  writeFileSync(
    script,
    `import { createShipper } from 'logship'
     const s = createShipper({ output: { type: 'http', url: '${DOWN}' }, retry: { initialDelayMs: 50, maxDelayMs: 100 },
       queue: { durable: true, spill: { dir: ${JSON.stringify(join(dir, 'spill'))}, segmentBytes: 256 * 1024, fsync: 'never' } } })
     s.on('error', () => {})
     let last = -1
     for (let i = 0; i < ${n}; i++) {
       if (s.write({ id: i, msg: 'durable event' })) last = i
       if (i % 500 === 0) { process.stdout.write('ACCEPTED ' + last + '\\n'); await new Promise((r) => setImmediate(r)) }
     }
     process.stdout.write('ACCEPTED ' + last + '\\nDONE\\n')
     setInterval(() => {}, 1000)`,
  )
  const child = spawn(process.execPath, [script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  let accepted = -1
  child.stdout!.on('data', (d: Buffer) => {
    for (const m of d.toString().matchAll(/ACCEPTED (-?\d+)/g)) accepted = Math.max(accepted, Number(m[1]))
  })
  return { child, accepted: () => accepted }
}

async function replay(dir: string, sinkUrl: string) {
  const shipper = createShipper({ output: { type: 'http', url: sinkUrl }, retry: fast, queue: { durable: true, spill: { dir: join(dir, 'spill') } }, batch: { flushMs: 10 } })
  shipper.on('error', () => {})
  await shipper.flush()
  const stats = shipper.stats()
  await shipper.close()
  return stats
}

describe('durable mode', () => {
  it('delivers every event write() accepted before a kill -9, once a new process starts with the same dir', async () => {
    const dir = tmp()
    const writer = startDurableWriter(dir, 100_000)
    await waitFor(() => writer.accepted() >= 30_000, 'the writer to accept 30,000 events', 60_000)
    writer.child.kill('SIGKILL')
    await new Promise((r) => writer.child.once('exit', r))
    const accepted = writer.accepted()
    const sink = await startSink()
    const stats = await replay(dir, sink.url)
    const ids = (await sink.events()).map((e) => e.id as number)
    const seen = new Set(ids)
    for (let id = 0; id <= accepted; id++) if (!seen.has(id)) throw new Error(`event ${id} was accepted before the crash but never delivered`)
    expect(ids.length - seen.size).toBe(0) // nothing was delivered before the crash, so no duplicates either
    expect(ids).toEqual([...ids].sort((a, b) => a - b))
    expect(stats.acked).toBe(ids.length)
    expect(stats.spilledEvents).toBe(0)
  })

  it('skips a frame with a flipped byte and a frame cut mid-write, counts them, and delivers the rest', async () => {
    const dir = tmp()
    const result = await runFixture('child/spill/durable-writes.mjs', { url: DOWN, dir: join(dir, 'spill') })
    expect(result.code).toBe(0)
    const segDir = join(dir, 'spill')
    const seg = join(segDir, readdirSync(segDir).find((f) => f.endsWith('.seg'))!)
    const bytes = readFileSync(seg)
    const frame = bytes.length / 1000
    expect(Number.isInteger(frame)).toBe(true) // equal-sized records: every frame has the same length
    bytes[Math.floor(500 * frame + frame / 2)]! ^= 0xff // damage record 500's payload
    writeFileSync(seg, bytes.subarray(0, bytes.length - 20)) // and tear the last record
    const sink = await startSink()
    const stats = await replay(dir, sink.url)
    const ids = (await sink.events()).map((e) => e.id as number)
    expect(ids).toEqual(Array.from({ length: 1000 }, (_, i) => 1000 + i).filter((id) => id !== 1500 && id !== 1999))
    expect(stats.corrupt).toBe(2)
  })

  it('text that only looks like a JSON object is shipped as a message after a restart; JSON texts arrive as written', async () => {
    const dir = tmp()
    const odd = ["{'a': 1}", '{oops}', '{"a":1}{"b":2}', '{"tab":"\t"}', '{}}']
    const texts = Array.from({ length: 60 }, (_, i) => (i % 10 === 0 ? odd[(i / 10) % odd.length]! : `{"i":${i}}`))
    const writer = createShipper({ output: { type: 'http', url: DOWN }, queue: { durable: true, spill: { dir: join(dir, 'spill') } }, closeTimeoutMs: 50, handleExit: false })
    writer.on('error', () => {})
    for (const text of texts) expect(writer.write(text)).toBe(true)
    await writer.close()
    const sink = await startSink()
    const stats = await replay(dir, sink.url)
    expect(stats).toMatchObject({ acked: 60, failed: 0 })
    const events = await sink.events()
    expect(events.filter((e) => typeof e.i === 'number').map((e) => e.i)).toEqual(texts.flatMap((t, i) => (t === `{"i":${i}}` ? [i] : [])))
    expect(events.filter((e) => e.message !== undefined).map((e) => e.message)).toEqual([odd[0], odd[1], odd[2], odd[3], odd[4], odd[0]])
  })

  it('creates the directory 0700 and its files 0600, and refuses a second process on the same dir', async () => {
    const dir = tmp()
    const spillDir = join(dir, 'spill')
    const shipper = createShipper({ output: { type: 'http', url: DOWN }, queue: { durable: true, spill: { dir: spillDir } }, closeTimeoutMs: 50, handleExit: false })
    shipper.on('error', () => {})
    shipper.write({ hello: 1 })
    expect(statSync(spillDir).mode & 0o777).toBe(0o700)
    for (const f of readdirSync(spillDir)) expect(statSync(join(spillDir, f)).mode & 0o777, f).toBe(0o600)
    const second = await runFixture('child/spill/open-spill-dir.mjs', { dir: spillDir })
    expect(second.stdout).toMatch(new RegExp(`spill dir .* is in use by process ${process.pid}; give each process its own queue.spill.dir`))
    await shipper.close()
  })

  it('fails at start-up with a clear message when the dir cannot be used', () => {
    expect(() => createShipper({ output: { type: 'console' }, queue: { durable: true, spill: { dir: '/dev/null/spill' } } })).toThrow(
      /queue\.spill\.dir \/dev\/null\/spill cannot be used: .*ENOTDIR/,
    )
  })
})

describe('whenFull: spill', () => {
  it('keeps 500,000 events through a 4 MiB ring while the sink is down and delivers them all, in order', async () => {
    const dir = tmp()
    const sink = await startSink()
    await sink.setMode({ stall: true })
    const shipper = createShipper({
      output: { type: 'http', url: sink.url },
      queue: { maxBytes: '4mb', whenFull: 'spill', spill: { dir: join(dir, 'spill'), segmentBytes: '4mb', fsync: 'never' } },
      batch: { maxEvents: 5000, flushMs: 20 },
    })
    const n = 500_000
    for (let i = 0; i < n; i++) expect(shipper.write({ i, msg: 'outage' })).toBe(true)
    const during = shipper.stats()
    expect(during.spilledEvents).toBeGreaterThan(n / 2)
    expectLedgerBalanced(during)
    await sink.setMode({ stall: false })
    await shipper.flush()
    const ids = (await sink.events()).map((e) => e.i as number)
    expect(ids.length).toBe(n)
    for (let k = 0; k < n; k++) if (ids[k] !== k) throw new Error(`out of order at ${k}: got ${ids[k]}`)
    const s = shipper.stats()
    expect(s).toMatchObject({ acked: n, dropped: 0, spilledEvents: 0 })
    expectLedgerBalanced(s)
    await shipper.close()
  })

  for (const whenFull of ['drop-newest', 'block'] as const) {
    it(`applies spill.whenFull: ${whenFull} at the spill cap and counts spill_full`, async () => {
      const dir = tmp()
      const sink = await startSink()
      await sink.setMode({ stall: true })
      const shipper = createShipper({
        output: { type: 'http', url: sink.url },
        queue: { maxBytes: 8192, whenFull: 'spill', maxBlockMs: 5, spill: { dir: join(dir, 'spill'), maxBytes: 32 * 1024, whenFull } },
        batch: { maxEvents: 10, flushMs: 5 },
      })
      const n = 1000 // ~60 KB: more than the 8 KiB ring and the 32 KiB spill hold together
      const accepted = Array.from({ length: n }, (_, i) => shipper.write({ i, pad: 'y'.repeat(40) })).filter(Boolean).length
      const s = shipper.stats()
      expect(accepted).toBeLessThan(n)
      expect(s.droppedByReason.spill_full).toBe(n - accepted)
      expect(s.spilledBytes).toBeLessThanOrEqual(32 * 1024)
      expectLedgerBalanced(s)
      await sink.setMode({ stall: false })
      await shipper.flush()
      expect((await sink.events()).length).toBe(accepted)
      await shipper.close()
    })
  }
})
