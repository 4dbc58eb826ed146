import { describe, it, expect } from 'vitest'
import { spawn } from 'node:child_process'
import { writeFileSync, readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { CLI, ROOT, tempDir, writeConfig, readNdjson } from '../helpers/cli.js'
import { waitFor } from '../helpers/wait.js'

/**
 * `logship run -c x.yml 2>&1 | some-log-collector`: when the reader of stderr (or stdout) goes
 * away, logship's next write fails with EPIPE. Node ignores SIGPIPE, so that failure is an
 * 'error' event on process.stderr: unhandled, it ended the shipper mid-run.
 */
describe('a closed stdout or stderr', () => {
  it('does not end `logship run`: it keeps shipping and stops cleanly on SIGTERM', async () => {
    const dir = tempDir('broken-stderr')
    const log = join(dir, 'app.log')
    writeFileSync(log, 'one\ntwo\nthree\n')
    const out = join(dir, 'out.ndjson')
    const cfg = writeConfig(
      dir,
      `inputs: [{ type: file, paths: ['${log}'] }]
output: { type: file, path: '${out}' }
registry: { path: '${dir}/registry.json', flushMs: 50 }
queue: { spill: { dir: '${dir}/spill' } }
`,
    )
    const child = spawn(process.execPath, [CLI, 'run', '-c', cfg], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
    let err = ''
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d))
    await waitFor(() => /^logship: running /m.test(err), 'logship to say it is running')
    await waitFor(() => readNdjson(out).events.length === 3, 'the three lines to be shipped')
    // The reader of both streams goes away; SIGUSR2 makes logship write its stats on stderr.
    child.stderr.destroy()
    child.stdout.destroy()
    child.kill('SIGUSR2')
    writeFileSync(log, 'four\n', { flag: 'a' })
    await waitFor(() => readNdjson(out).events.length === 4, 'the line written after stderr closed to be shipped')
    child.kill('SIGTERM')
    expect(await exited).toEqual({ code: 0, signal: null })
    const registry = JSON.parse(readFileSync(join(dir, 'registry.json'), 'utf8')) as { entries: [string, string, number][] }
    expect(registry.entries.map(([, path, offset]) => [path, offset])).toEqual([[log, 19]])
    expect(existsSync(join(dir, 'registry.json.lock'))).toBe(false)
  })

  it.each([
    ['test config', (cfg: string) => ['test', 'config', '-c', cfg]],
    ['modules fields', () => ['modules', 'fields']],
    ['run --once', (cfg: string) => ['run', '--once', '--no-progress', '-c', cfg]],
  ])('`logship %s | head -1` ends without a stack trace', async (_name, args) => {
    const dir = tempDir('broken-stdout')
    writeFileSync(join(dir, 'app.log'), 'one\n')
    const cfg = writeConfig(
      dir,
      `inputs: [{ type: file, paths: ['${dir}/app.log'] }]
output: { type: file, path: '${dir}/out.ndjson' }
registry: { path: '${dir}/registry.json' }
queue: { spill: { dir: '${dir}/spill' } }
`,
    )
    const child = spawn(process.execPath, [CLI, ...args(cfg)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    // Closed before the child has even loaded: its first write to stdout fails with EPIPE.
    child.stdout.destroy()
    let err = ''
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d))
    const exited = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
    expect(err).not.toMatch(/EPIPE|Unhandled|\n\s+at /)
    expect(exited).toEqual({ code: 0, signal: null })
  })
})
