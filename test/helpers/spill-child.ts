import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { ShipperStats } from 'logship'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface SpillChildSettings {
  url: string
  dir: string
  thread: 'worker' | 'main'
  waitForGo?: boolean
  flush?: boolean
  closeTimeoutMs?: number
  /** big-records.mjs */
  durable?: boolean
  queueMaxBytes?: number
  sizesMiB?: number[]
  /** small-disk-writer.mjs */
  capacity?: number
  failTruncate?: boolean
  failFsync?: boolean
  fsync?: 'never' | 'interval' | 'always'
  whileFull?: number
  after?: number
}

export interface SpillChildResult {
  accepted: number[]
  stats: ShipperStats
  health: unknown[]
  errors: string[]
  ticksDuringFlush: number
  shortWrites?: number
  enospc?: number
  openSegments?: number
}

export interface SpillChild {
  /** Resolves with the ids write() accepted, once the child has written them all. */
  readonly wrote: Promise<number[]>
  /** Lets a child started with waitForGo flush. */
  go(): void
  /** The child's RESULT; rejects (and kills it) when it has not finished within `timeoutMs`. */
  readonly result: Promise<SpillChildResult>
}

/**
 * Runs a script of test/fixtures/spill/ (default big-records.mjs): a shipper in its own
 * process, so that a shipper that wedges (a busy loop on its thread) fails the test instead
 * of freezing the runner.
 */
export function startSpillChild(settings: SpillChildSettings, timeoutMs = 60_000, script = 'big-records.mjs'): SpillChild {
  const path = fileURLToPath(new URL(`../fixtures/spill/${script}`, import.meta.url))
  const child = spawn(process.execPath, [path], { cwd: ROOT, env: { ...process.env, LOGSHIP_TEST_SPILL: JSON.stringify(settings) }, stdio: ['pipe', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  let resolveWrote!: (ids: number[]) => void
  const wrote = new Promise<number[]>((resolve) => (resolveWrote = resolve))
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d
    const m = /^WROTE (.*)$/m.exec(stdout)
    if (m) resolveWrote(JSON.parse(m[1]!) as number[])
  })
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const result = new Promise<SpillChildResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the shipper child did not finish within ${timeoutMs} ms (wedged?)\nstdout: ${stdout.slice(0, 2000)}\nstderr: ${stderr.slice(0, 2000)}`))
    }, timeoutMs)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      const m = /^RESULT (.*)$/m.exec(stdout)
      if (!m) reject(new Error(`the shipper child exited (${code ?? signal}) without a result\nstdout: ${stdout.slice(0, 2000)}\nstderr: ${stderr.slice(0, 2000)}`))
      else resolve(JSON.parse(m[1]!) as SpillChildResult)
    })
  })
  return { wrote, go: () => child.stdin.write('GO\n'), result }
}
