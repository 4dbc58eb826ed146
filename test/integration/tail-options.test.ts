import { describe, it, expect } from 'vitest'
import { writeFileSync, appendFileSync, utimesSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, startCli, tempDir, writeConfig, readNdjson, type ShippedLine } from '../helpers/cli.js'
import { waitFor } from '../helpers/wait.js'

const messages = (out: string): string[] => readNdjson<ShippedLine>(out).events.map((e) => e.message)

describe('tail mode options', () => {
  it('start: end skips what files held at start-up, ignoreOlderMs skips old files, SIGHUP reopens files', async () => {
    const dir = tempDir('options')
    const out = join(dir, 'out.ndjson')
    writeFileSync(join(dir, 'live.log'), 'old 1\nold 2\n')
    writeFileSync(join(dir, 'stale.log'), 'stale\n')
    const longAgo = new Date(Date.now() - 3600_000)
    utimesSync(join(dir, 'stale.log'), longAgo, longAgo)
    const cfg = writeConfig(
      dir,
      `inputs:
  - type: file
    paths: ['${dir}/*.log']
    start: end
    ignoreOlderMs: 600000
    scanIntervalMs: 100
output: { type: file, path: ${out} }
batch: { flushMs: 50 }
registry: { path: ${dir}/registry.json, flushMs: 100 }
`,
    )
    const logship = startCli(['run', '-c', cfg])
    await waitFor(async () => (await logship.stats()).files.length === 1, 'live.log to be picked up')
    appendFileSync(join(dir, 'live.log'), 'new 1\n')
    writeFileSync(join(dir, 'later.log'), 'created after start-up\n')
    await waitFor(() => messages(out).length === 2, 'the new lines')
    expect(messages(out).sort()).toEqual(['created after start-up', 'new 1'])

    const before = (await logship.stats()).counters.harvestersStarted
    await logship.ready
    await logship.signal('SIGHUP')
    await waitFor(() => /reopening files \(SIGHUP\)/.test(logship.stderr()), 'the SIGHUP to be handled')
    appendFileSync(join(dir, 'live.log'), 'after hup\n')
    await waitFor(() => messages(out).includes('after hup'), 'the line written after SIGHUP')
    expect((await logship.stats()).counters.harvestersStarted).toBeGreaterThan(before)

    await logship.signal('SIGTERM')
    expect((await logship.exited).code, logship.stderr()).toBe(0)
    expect(messages(out)).toHaveLength(3)
    expect(messages(out)).not.toContain('stale')
  })

  it('harvesterLimit: reads many files with a few open at once; a stdin input ships alongside', async () => {
    const dir = tempDir('limit')
    const out = join(dir, 'out.ndjson')
    for (let f = 0; f < 12; f++) writeFileSync(join(dir, `f${f}.log`), Array.from({ length: 50 }, (_, i) => `file ${f} line ${i}`).join('\n') + '\n')
    writeFileSync(join(dir, 'u16.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('grüße\r\nzwei\r\n', 'utf16le')]))
    const cfg = writeConfig(
      dir,
      `inputs:
  - type: file
    paths: ['${dir}/*.log']
    harvesterLimit: 2
  - type: file
    paths: ['${dir}/*.txt']
    encoding: utf16le
  - type: stdin
    fields: { source: pipe }
output: { type: file, path: ${out} }
registry: { path: ${dir}/registry.json }
`,
    )
    const r = await runCli(['run', '--once', '-c', cfg], { input: 'from stdin\n' })
    expect(r.code, r.stderr).toBe(0)
    const events = readNdjson<ShippedLine>(out).events
    expect(events.filter((e) => e.message.startsWith('file '))).toHaveLength(600)
    expect(events.filter((e) => e.log.file?.path.endsWith('u16.txt')).map((e) => e.message)).toEqual(['grüße', 'zwei'])
    expect(events.find((e) => e.message === 'from stdin')).toMatchObject({ input: { type: 'stdin' }, source: 'pipe' })
  })
})
