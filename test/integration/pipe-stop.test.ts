import { describe, it, expect } from 'vitest'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { mkdirSync } from 'node:fs'
import { onTestFinished } from 'vitest'
import { CLI, ROOT, tempDir, writeConfig, readNdjson } from '../helpers/cli.js'
import { silentServer } from '../helpers/silent-server.js'
import { waitFor } from '../helpers/wait.js'

/**
 * `logship pipe` and SIGTERM. The writing app usually gets the same signal and ends, closing
 * stdin, so pipe keeps reading for a while; but when stdin never ends (`tail -F ... | logship
 * pipe`, a writer that ignores the signal) or the output never answers, one SIGTERM did
 * nothing: pipe waited for ever, and only a second signal (exit 130, everything in the queue
 * lost) ended it. Lines from stdin cannot be read again: what is lost must be said.
 */
function startPipe(args: string[]) {
  const child = spawn(process.execPath, [CLI, 'pipe', ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] })
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  let err = ''
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d))
  child.stdout.resume()
  child.stdin.on('error', () => {})
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  return { child, exited, stderr: () => err }
}

describe('logship pipe and SIGTERM', () => {
  it('stdin that never ends: SIGTERM ships what was read and exits 0 after shutdownTimeoutMs', async () => {
    const dir = tempDir('pipe-stop')
    const out = join(dir, 'out.ndjson')
    const cfg = writeConfig(dir, `inputs: [{ type: stdin }]\noutput: { type: file, path: '${out}' }\nshutdownTimeoutMs: 300\n`)
    const pipe = startPipe(['-c', cfg])
    pipe.child.stdin.write('one\ntwo\n')
    await waitFor(() => readNdjson(out).events.length === 2, 'the two lines to be shipped')
    pipe.child.kill('SIGTERM')
    // stdin stays open: the writer ignores the signal
    expect(await pipe.exited, pipe.stderr()).toEqual({ code: 0, signal: null })
    expect(readNdjson(out).events.map((e) => e.message)).toEqual(['one', 'two'])
    expect(pipe.stderr()).toMatch(/shipped 2 events/)
  })

  it('a line without its newline when the grace ends is counted as lost, not dropped unsaid', async () => {
    const dir = tempDir('pipe-stop-partial')
    const out = join(dir, 'out.ndjson')
    const cfg = writeConfig(dir, `inputs: [{ type: stdin }]\noutput: { type: file, path: '${out}' }\nshutdownTimeoutMs: 300\n`)
    const pipe = startPipe(['-c', cfg])
    pipe.child.stdin.write('one\npart')
    await waitFor(() => readNdjson(out).events.length === 1, 'the whole line to be shipped')
    pipe.child.kill('SIGTERM')
    // stdin stays open and the line never ends: it is offered when reading stops, after the grace
    expect(await pipe.exited, pipe.stderr()).toEqual({ code: 1, signal: null })
    expect(pipe.stderr()).toMatch(/lines: 2,/)
    expect(pipe.stderr()).toMatch(/not acknowledged in time: 1 \(lines from stdin cannot be read again: they are lost\)/)
  })

  it('an output that never answers: SIGTERM exits 1 and says how many lines from stdin were lost', async () => {
    const dir = tempDir('pipe-stop-silent')
    const sink = await silentServer()
    const cfg = writeConfig(dir, `inputs: [{ type: stdin }]\noutput: { type: http, url: '${sink.url}' }\nshutdownTimeoutMs: 300\n`)
    const pipe = startPipe(['-c', cfg])
    pipe.child.stdin.end('one\ntwo\nthree\n')
    await waitFor(() => sink.received() > 0, 'the batch to reach the output')
    pipe.child.kill('SIGTERM')
    expect(await pipe.exited, pipe.stderr()).toEqual({ code: 1, signal: null })
    expect(pipe.stderr()).toMatch(/not acknowledged in time: 3 \(lines from stdin cannot be read again: they are lost\)/)
    expect(pipe.stderr()).not.toMatch(/read again at the next start/)
  })

  it('a second SIGTERM exits at once, and does not claim that stdin is read again', async () => {
    const dir = tempDir('pipe-stop-twice')
    const sink = await silentServer()
    const cfg = writeConfig(dir, `inputs: [{ type: stdin }]\noutput: { type: http, url: '${sink.url}' }\nshutdownTimeoutMs: 600000\n`)
    const pipe = startPipe(['-c', cfg])
    pipe.child.stdin.write('one\n')
    await waitFor(() => sink.received() > 0, 'the batch to reach the output')
    pipe.child.kill('SIGTERM')
    await waitFor(() => /SIGTERM: shipping what stdin still holds/.test(pipe.stderr()), 'the first SIGTERM to be taken')
    pipe.child.kill('SIGTERM')
    expect(await pipe.exited, pipe.stderr()).toEqual({ code: 130, signal: null })
    expect(pipe.stderr()).toMatch(/second SIGTERM, exiting now: lines from stdin that were not acknowledged are lost/)
    expect(pipe.stderr()).not.toMatch(/read again at the next start/)
  })
})

describe('logship pipe when stdin ends and the output is failing', () => {
  it('says why it waits (a missing directory, with what to do); ships and exits 0 once the directory exists', async () => {
    const dir = tempDir('pipe-missing-dir')
    const missing = join(dir, 'not-yet')
    const out = join(missing, 'out.ndjson')
    const cfg = writeConfig(dir, `inputs: [{ type: stdin }]\noutput: { type: file, path: '${out}' }\nretry: { initialDelayMs: 50, maxDelayMs: 300 }\n`)
    const pipe = startPipe(['-c', cfg])
    pipe.child.stdin.end('one\ntwo\n')
    await waitFor(() => /stdin has ended; waiting for the output to acknowledge the last 2 lines/.test(pipe.stderr()), 'pipe to say why it has not exited', 15_000)
    expect(pipe.stderr()).toContain(`the directory ${missing} does not exist: create it`)
    expect(pipe.stderr()).toMatch(/send SIGTERM \(Ctrl-C\) to stop waiting/)
    mkdirSync(missing)
    expect(await pipe.exited, pipe.stderr()).toEqual({ code: 0, signal: null })
    expect(readNdjson(out).events.map((e) => e.message)).toEqual(['one', 'two'])
  })
})
