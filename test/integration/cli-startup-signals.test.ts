import { describe, it, expect } from 'vitest'
import { spawn } from 'node:child_process'
import { execFileSync } from 'node:child_process'
import { writeFileSync, readFileSync, existsSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { CLI, ROOT, tempDir, readNdjson } from '../helpers/cli.js'
import { waitFor } from '../helpers/wait.js'

/**
 * Signals that arrive while `logship run` starts (config, registry, worker): before its handlers
 * were installed, SIGHUP (a logrotate postrotate, `systemctl reload`) or SIGUSR2 ended the
 * process, and SIGTERM ended it by the signal, leaving the registry lock behind and no line
 * saying what happened. The config is given through a FIFO so the test knows logship is in
 * the middle of starting: it is reading the config when the FIFO opens.
 */
async function startPausedAtConfig(dir: string) {
  const log = join(dir, 'app.log')
  writeFileSync(log, 'one\ntwo\n')
  const fifo = join(dir, 'logship.yml')
  execFileSync('mkfifo', [fifo])
  const out = join(dir, 'out.ndjson')
  const child = spawn(process.execPath, [CLI, 'run', '-c', fifo], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let err = ''
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d))
  child.stdout.resume()
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  // Opening the FIFO for writing waits until logship opens it to read its config.
  const config = await open(fifo, 'w')
  return {
    child,
    exited,
    stderr: () => err,
    out,
    log,
    async giveConfig() {
      await config.write(
        `inputs: [{ type: file, paths: ['${log}'] }]
output: { type: file, path: '${out}' }
registry: { path: '${dir}/registry.json', flushMs: 50 }
queue: { spill: { dir: '${dir}/spill' } }
`,
      )
      await config.close()
    },
  }
}

describe('signals while logship run starts', () => {
  it('SIGHUP and SIGUSR2 do not end it: it starts and ships', async () => {
    const logship = await startPausedAtConfig(tempDir('startup-hup'))
    logship.child.kill('SIGHUP')
    logship.child.kill('SIGUSR2')
    await logship.giveConfig()
    await waitFor(() => readNdjson(logship.out).events.length === 2 || logship.child.exitCode !== null || logship.child.signalCode !== null, 'the lines, or the end of logship')
    expect(logship.child.signalCode, logship.stderr()).toBeNull()
    expect(readNdjson(logship.out).events.map((e) => e.message)).toEqual(['one', 'two'])
    await waitFor(() => /^logship: running /m.test(logship.stderr()), 'logship to say it is running')
    logship.child.kill('SIGTERM')
    expect(await logship.exited).toEqual({ code: 0, signal: null })
  })

  it('SIGTERM stops it cleanly once started: exit 0, the last line says so, the registry lock is let go', async () => {
    const dir = tempDir('startup-term')
    const logship = await startPausedAtConfig(dir)
    logship.child.kill('SIGTERM')
    await logship.giveConfig()
    expect(await logship.exited, logship.stderr()).toEqual({ code: 0, signal: null })
    expect(logship.stderr()).toMatch(/SIGTERM: stopping/)
    expect(logship.stderr()).toMatch(/logship: stopped: every line read was acknowledged|events were not acknowledged; they are read again at the next start/)
    expect(existsSync(join(dir, 'registry.json.lock'))).toBe(false)
    // Whatever it shipped before stopping is acknowledged in the registry: nothing is shipped twice or lost at the next start.
    const shipped = readNdjson(logship.out).events.length
    const registry = JSON.parse(readFileSync(join(dir, 'registry.json'), 'utf8')) as { entries: [string, string, number][] }
    const acked = registry.entries.find(([, path]) => path === logship.log)?.[2] ?? 0
    expect(acked).toBe(['', 'one\n', 'one\ntwo\n'][shipped]!.length)
  })
})
