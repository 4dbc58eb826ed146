import { describe, it, expect, onTestFinished } from 'vitest'
import { spawn } from 'node:child_process'
import { writeFileSync, appendFileSync, mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { CLI, ROOT, runCli, startCli, tempDir, writeConfig } from '../helpers/cli.js'
import { waitFor } from '../helpers/wait.js'
import { missingSoftware } from '../helpers/system-software.js'

/** Two log files of different content (identical files would look like copies of each other). */
function backfill(prefix: string): { dir: string; cfg: string; lines: number; bytes: number } {
  const dir = tempDir(prefix)
  const logs = join(dir, 'logs')
  mkdirSync(logs)
  let lines = 0
  for (const name of ['access.log', 'error.log']) {
    writeFileSync(join(logs, name), Array.from({ length: 3000 }, (_, i) => `${name} line ${i} ${'x'.repeat(40)}`).join('\n') + '\n')
    lines += 3000
  }
  const bytes = statSync(join(logs, 'access.log')).size + statSync(join(logs, 'error.log')).size
  const cfg = writeConfig(dir, `inputs:\n  - type: file\n    paths: ['${logs}/*.log']\noutput: { type: file, path: ${dir}/out.ndjson }\nregistry: { path: ${dir}/registry.json }\n`)
  return { dir, cfg, lines, bytes }
}

/** Runs a command in a pseudo-terminal (util-linux `script`), so stdout and stderr are a TTY. */
function runInTerminal(args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd, env: { ...process.env, TERM: 'xterm', COLUMNS: '160' }, stdio: ['pipe', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d: Buffer) => (output += d.toString()))
    child.stderr.on('data', (d: Buffer) => (output += d.toString()))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the run in a terminal did not finish:\n${output}`))
    }, 50_000)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
    child.stdin.end()
  })
}

const SUMMARY = (lines: number, bytes: number): RegExp => new RegExp(`files: 2, lines: ${lines}, bytes: ${bytes}, seconds: \\d+\\.\\d\\d, acked: ${lines}, failed: 0`)

const MISSING = missingSoftware('progress on a terminal', ['script'])

describe.skipIf(MISSING)('backfill progress (run --once)', () => {
  it('prints plain progress lines when stderr is not a terminal, and the summary on stdout', async () => {
    const { cfg, dir, lines, bytes } = backfill('progress-plain')
    const r = await runCli(['run', '--once', '-c', cfg], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(new RegExp(`^logship: reading 2 files, ${(bytes / 1024 / 1024).toFixed(1)} MB to ship$`, 'm'))
    expect(r.stderr).toMatch(
      new RegExp(`^logship: progress 100% \\(${(bytes / 1024 / 1024).toFixed(1)} of ${(bytes / 1024 / 1024).toFixed(1)} MB\\), ${lines} lines, (\\d+|-) lines/s, ETA 0 s$`, 'm'),
    )
    expect(r.stderr).not.toMatch(/\x1b\[/) // no terminal control sequences in a log
    expect(r.stdout).toMatch(SUMMARY(lines, bytes))

    // a second run has nothing left: 0 of 0 MB, and it says so
    const again = await runCli(['run', '--once', '-c', cfg], { cwd: dir })
    expect(again.stderr).toMatch(/^logship: progress 100% \(0\.0 of 0\.0 MB\), 0 lines/m)
    expect(again.stdout).toMatch(/nothing new to ship/)

    const quiet = await runCli(['run', '--once', '--no-progress', '-c', cfg], { cwd: dir })
    expect(quiet.code).toBe(0)
    expect(quiet.stderr).not.toMatch(/logship: progress|logship: reading 2 files/)
  })

  it('draws a bar on a terminal (bytes, lines/s, ETA) and no plain progress lines', async () => {
    const { cfg, dir, lines, bytes } = backfill('progress-tty')
    const r = await runInTerminal(['run', '--once', '-c', cfg], dir)
    expect(r.code, r.output).toBe(0)
    expect(r.output).toContain('\x1b[?25l') // the bar hides the cursor while it draws...
    expect(r.output).toContain('\x1b[?25h') // ...and shows it again at the end
    const mb = (bytes / 1024 / 1024).toFixed(1)
    expect(r.output).toMatch(new RegExp(`={30} 100% \\| ${mb}/${mb} MB \\| ${lines} lines \\| (\\d+|-) lines/s \\| ETA `))
    expect(r.output).not.toMatch(/logship: progress/)
    expect(r.output).toMatch(SUMMARY(lines, bytes))
  })
})

describe('stats log', () => {
  it('prints one JSON line on stderr per interval while events move, with rates, queue fill and losses', async () => {
    const dir = tempDir('stats-log')
    const log = join(dir, 'app.log')
    writeFileSync(log, '')
    const cfg = writeConfig(
      dir,
      `inputs:\n  - type: file\n    paths: ['${log}']\n    scanIntervalMs: 50\noutput: { type: file, path: ${dir}/out.ndjson }\nregistry: { path: ${dir}/registry.json }\nstatsIntervalMs: 200\n`,
    )
    const logship = startCli(['run', '-c', cfg], { cwd: ROOT })
    onTestFinished(() => void logship.child.kill('SIGKILL'))
    appendFileSync(log, Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n') + '\n')
    const statsLines = (): Record<string, unknown>[] =>
      logship
        .stderr()
        .split('\n')
        .filter((l) => l.startsWith('{"time"'))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
    const withAcks = (await waitFor(() => statsLines().find((l) => (l.totals as { acked: number }).acked === 50), 'a stats line that counts the 50 acked lines')) as Record<
      string,
      unknown
    >
    expect(withAcks.message).toMatch(/^stats: (\d+ events acked \(\d+(\.\d)?\/s\)|nothing acked.*), queue \d+(\.\d)?% full, nothing lost$/)
    expect(withAcks).toMatchObject({ lost: { dropped: 0, sampledOut: 0, failed: 0 }, totals: { received: 50, dropped: 0 } })
    expect(withAcks.tail).toMatchObject({ harvestersOpen: 1 })
    // each line's counts are what moved since the line before (silent intervals moved nothing)
    const all = statsLines()
    for (let i = 1; i < all.length; i++) {
      expect((all[i]!.totals as { acked: number }).acked - (all[i - 1]!.totals as { acked: number }).acked).toBe((all[i]!.events as { acked: number }).acked)
    }
    await logship.signal('SIGTERM')
    expect((await logship.exited).code).toBe(0)
  })
})
