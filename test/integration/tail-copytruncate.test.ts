import { describe, it, expect } from 'vitest'
import { appendFileSync, copyFileSync, existsSync, renameSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startCli, tempDir, writeConfig, countIds, exactlyOnceProblems, readNdjson, type RunningCli, type ShippedLine } from '../helpers/cli.js'
import { startSinkProcess, type Sink } from '../helpers/sink.js'
import { waitFor } from '../helpers/wait.js'

/**
 * copytruncate while the reader of the original is behind (the output stalls, so the read
 * pointer waits partway into the file): the copy holds the lines not read yet, and must be
 * read from where the original stopped, whenever the scanner first sees it.
 */

const LINE_BYTES = 256
const MIB = 1024 * 1024

/** Appends `mib` MiB of 256-byte lines with ids from `first`; returns the next id. */
function grow(path: string, first: number, mib: number): number {
  const pad = 'p'.repeat(LINE_BYTES)
  let id = first
  let text = ''
  for (let i = 0; i < (mib * MIB) / LINE_BYTES; i++) text += `${new Date().toISOString()} id=${String(id++).padStart(10, '0')} ${pad}`.slice(0, LINE_BYTES - 1) + '\n'
  appendFileSync(path, text)
  return id
}

interface Stage {
  dir: string
  log: string
  sink: Sink
  logship: RunningCli
  next: number
}

/** 8 MiB in app.log, a stalled sink and a 1 MiB queue: logship reads a part of the file and waits. */
async function stalledReader(name: string): Promise<Stage> {
  const dir = tempDir(name)
  const log = join(dir, 'app.log')
  const sink = await startSinkProcess()
  await sink.setMode({ stall: true })
  const next = grow(log, 0, 8)
  const cfg = writeConfig(
    dir,
    `inputs:
  - type: file
    paths: ['${dir}/app.log*', '${dir}/marker-*.txt']
    scanIntervalMs: 50
    maxLineBytes: 65536
output: { type: http, url: '${sink.url}', timeoutMs: 120000 }
queue: { maxBytes: ${MIB} }
batch: { maxEvents: 100, flushMs: 20 }
registry: { path: ${dir}/registry.json, flushMs: 100 }
`,
  )
  const logship = startCli(['run', '-c', cfg])
  await waitFor(() => sink.stalledRequests().then((n) => n > 0), 'the first request to stall')
  return { dir, log, sink, logship, next }
}

/** Lets the sink answer, waits until nothing is left to ship, and checks every line arrived once. */
async function expectEveryLineOnce(stage: Stage): Promise<void> {
  const { sink, logship, next } = stage
  await sink.setMode({ stall: false })
  const last = await waitFor(
    async () => {
      const s = await logship.stats()
      // The sizes logship last saw must be the files' own: between scans it may not know of the last write yet.
      return s.lagBytes === 0 && s.files.every((f) => !existsSync(f.path) || statSync(f.path).size === f.size) ? s : undefined
    },
    'logship to catch up once the sink answers',
    60_000,
    100,
  )
  await logship.signal('SIGTERM')
  expect((await logship.exited).code, logship.stderr()).toBe(0)
  const counts = countIds((await sink.events()) as unknown as { message: string }[])
  const log = logship
    .stderr()
    .split('\n')
    .filter((l) => !l.startsWith('{"counters"'))
    .join('\n')
  expect(exactlyOnceProblems(counts, next), `${log}\nwhen caught up: ${JSON.stringify({ counters: last?.counters, files: last?.files })}`).toEqual({
    missing: [],
    duplicated: [],
    extra: [],
  })
}

describe('copytruncate while the reader is behind', () => {
  it('a copy recognised before the truncation is read from where the original stopped once the original is truncated', async () => {
    const stage = await stalledReader('ct-copy-first')
    copyFileSync(stage.log, `${stage.log}.1`)
    await waitFor(() => stage.logship.stderr().includes('app.log.1 is a copy of'), 'logship to recognise app.log.1 as a copy of app.log')
    truncateSync(stage.log, 0)
    stage.next = grow(stage.log, stage.next, 1)
    await expectEveryLineOnce(stage)
  }, 120_000)

  it.each([
    ['shorter', 1],
    ['longer', 9],
  ])(
    'a copy first seen after the truncation waits for the original reader, however many scans that takes (the original written again, %s than the copy)',
    async (_, mib) => {
      const stage = await stalledReader('ct-truncate-first')
      copyFileSync(stage.log, `${stage.log}.1`)
      truncateSync(stage.log, 0)
      stage.next = grow(stage.log, stage.next, mib)
      // Many scans pass while the reader of the original waits for the sink: each marker is
      // created after the previous one was found, so each one means at least one more scan.
      for (let i = 0; i < 12; i++) {
        const marker = join(stage.dir, `marker-${i}.txt`)
        writeFileSync(marker, `marker ${i}\n`)
        await waitFor(async () => (await stage.logship.stats()).files.some((f) => f.path === marker), `logship to find ${marker}`)
      }
      await expectEveryLineOnce(stage)
    },
    120_000,
  )
})

describe('copytruncate around a restart', () => {
  it('a copy found only after a restart is read from where its original stopped before the restart', async () => {
    const dir = tempDir('ct-restart')
    const log = join(dir, 'app.log')
    const out = join(dir, 'out.ndjson')
    const cfg = writeConfig(
      dir,
      `inputs:
  - type: file
    paths: ['${dir}/app.log*']
    scanIntervalMs: 50
output: { type: file, path: ${out} }
batch: { flushMs: 20 }
registry: { path: ${dir}/registry.json, flushMs: 100 }
`,
    )
    const shipped = (): Map<number, number> => countIds(readNdjson<ShippedLine>(out).events)
    let next = grow(log, 0, 1)
    let logship = startCli(['run', '-c', cfg])
    await waitFor(() => shipped().size >= next, 'the first lines to be shipped')
    // copytruncate with the copy outside the globs for now (an olddir), noticed by logship; then a clean stop.
    copyFileSync(log, join(dir, 'app.old'))
    truncateSync(log, 0)
    next = grow(log, next, 0.25)
    await waitFor(() => logship.stderr().includes('app.log again from the start'), 'logship to notice the truncation')
    await waitFor(() => shipped().size >= next, 'the new lines to be shipped')
    await logship.signal('SIGTERM')
    expect((await logship.exited).code, logship.stderr()).toBe(0)
    // The copy comes into the globs while logship is stopped (moved in from the olddir).
    renameSync(join(dir, 'app.old'), `${log}.1`)
    logship = startCli(['run', '-c', cfg])
    await waitFor(async () => {
      const s = await logship.stats()
      return s.lagBytes === 0 && s.files.length === 2 && s.files.every((f) => statSync(f.path).size === f.size)
    }, 'logship to find app.log.1 and catch up')
    await logship.signal('SIGTERM')
    expect((await logship.exited).code, logship.stderr()).toBe(0)
    expect(exactlyOnceProblems(shipped(), next), logship.stderr()).toEqual({ missing: [], duplicated: [], extra: [] })
  }, 60_000)
})
