import { describe, it, expect } from 'vitest'
import { spawn } from 'node:child_process'
import { writeFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'
import { CLI, ROOT, tempDir, writeConfig } from '../helpers/cli.js'
import { silentServer } from '../helpers/silent-server.js'
import { waitFor } from '../helpers/wait.js'

/**
 * `logship run --once` read everything and waited for acknowledgements (as long as it takes)
 * when SIGTERM came: the signal started a second, concurrent stop. The two raced: the --once
 * summary, computed after the other stop had closed the shipper, said nothing about the lines
 * that were never acknowledged.
 */
describe('run --once and SIGTERM while it waits for acknowledgements', () => {
  it('stops once: the summary and the last line both count the unacknowledged lines, the registry keeps them unread, exit 0', async () => {
    const dir = tempDir('once-stop')
    const sink = await silentServer()
    const log = join(dir, 'app.log')
    writeFileSync(log, 'one\ntwo\nthree\n')
    const cfg = writeConfig(
      dir,
      `inputs: [{ type: file, paths: ['${log}'] }]
output: { type: http, url: '${sink.url}' }
registry: { path: '${dir}/registry.json' }
queue: { spill: { dir: '${dir}/spill' } }
shutdownTimeoutMs: 300
`,
    )
    const child = spawn(process.execPath, [CLI, 'run', '--once', '--no-progress', '-c', cfg], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    })
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d))
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
    await waitFor(() => sink.received() > 0 && /^logship: running /m.test(err), 'the batch to reach the output')
    child.kill('SIGTERM')
    expect(await exited, err).toEqual({ code: 0, signal: null })
    expect(err).toMatch(/logship: 3 events were not acknowledged; they are read again at the next start/)
    expect(out).toMatch(/not acknowledged in time: 3 \(they are read again at the next start\)/)
    const registry = JSON.parse(readFileSync(join(dir, 'registry.json'), 'utf8')) as { entries: [string, string, number][] }
    expect(registry.entries.map(([, path, offset]) => [path, offset])).toEqual([[log, 0]])
  })
})
