import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { mkdtempSync, mkdirSync, readFileSync, existsSync, writeFileSync, chmodSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { onTestFinished } from 'vitest'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const CLI = join(ROOT, 'dist', 'cli.js')

/** A fresh directory under .tmp/ (kept after the test for inspection; .tmp is git-ignored). */
export function tempDir(prefix: string): string {
  mkdirSync(join(ROOT, '.tmp'), { recursive: true })
  const dir = mkdtempSync(join(ROOT, '.tmp', `${prefix}-`))
  chmodSync(dir, 0o755)
  return dir
}

export function writeConfig(dir: string, yaml: string, name = 'logship.yml'): string {
  const file = join(dir, name)
  writeFileSync(file, yaml)
  return file
}

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Runs `logship ...args` to completion (killed after timeoutMs). */
export function runCli(
  args: string[],
  opts: { cwd?: string; input?: string | Buffer; env?: Record<string, string>; timeoutMs?: number; uid?: number; gid?: number; nodeArgs?: string[] } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const spawnOpts: SpawnOptions = { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] }
    if (opts.uid !== undefined) spawnOpts.uid = opts.uid
    if (opts.gid !== undefined) spawnOpts.gid = opts.gid
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), CLI, ...args], spawnOpts)
    let stdout = ''
    let stderr = ''
    // setEncoding decodes across chunk boundaries (a character may arrive split in two reads)
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`logship ${args.join(' ')} did not finish within ${opts.timeoutMs ?? 50_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`))
    }, opts.timeoutMs ?? 50_000)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
    child.stdin!.on('error', () => {})
    child.stdin!.end(opts.input ?? '')
  })
}

/** A running `logship run` (killed after the test if still alive). */
export interface RunningCli {
  readonly child: ChildProcess
  stderr(): string
  /** Asks for stats (SIGUSR2) and returns the JSON line it prints. */
  stats(): Promise<TailStatsJson>
  /** Resolves once it says it is running (signal handlers installed). */
  ready: Promise<void>
  /** Sends `signal` once it is running: before its handlers are installed a signal would simply end the process. */
  signal(signal: NodeJS.Signals): Promise<void>
  /** Resolves with the exit code. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

export interface TailStatsJson {
  counters: {
    events: number
    filtered: number
    truncations: number
    renames: number
    copiesResumed: number
    binarySkipped: number
    harvestersStarted: number
    harvestersClosed: number
  }
  shipper: { acked: number; accepted: number; queuedBytes: number; queuedEvents: number; failed: number; dropped: number }
  files: { path: string; size: number; readOffset: number; ackedOffset: number; lag: number; open: boolean }[]
  lagBytes: number
  feederBytes: number
  registryWrites: number
  rssBytes: number
}

export function startCli(args: string[], opts: { cwd?: string; stdin?: 'pipe' | 'ignore' } = {}): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? ROOT, stdio: [opts.stdin ?? 'ignore', 'pipe', 'pipe'] })
  let err = ''
  const statsWaiters: ((s: TailStatsJson) => void)[] = []
  let pending = ''
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    err += d
    pending += d
    let nl: number
    while ((nl = pending.indexOf('\n')) !== -1) {
      const line = pending.slice(0, nl)
      pending = pending.slice(nl + 1)
      if (line.startsWith('{"counters"')) statsWaiters.shift()?.(JSON.parse(line) as TailStatsJson)
    }
  })
  child.stdout!.on('data', () => {})
  let resolveReady!: () => void
  const ready = new Promise<void>((resolve) => (resolveReady = resolve))
  child.stderr!.on('data', () => {
    if (/^logship: running /m.test(err)) resolveReady()
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  return {
    child,
    stderr: () => err,
    stats: async () => {
      // Before its handlers are installed a signal would end the process: wait for "running".
      await ready
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no stats from logship within 10 s\n${err}`)), 10_000)
        statsWaiters.push((s) => {
          clearTimeout(timer)
          resolve(s)
        })
        child.kill('SIGUSR2')
      })
    },
    ready,
    async signal(signal: NodeJS.Signals) {
      await ready
      child.kill(signal)
    },
    exited,
  }
}

/** Parses an NDJSON file; a torn last line (a crash mid-write) is skipped and counted. */
export function readNdjson<T = Record<string, unknown>>(path: string): { events: T[]; torn: number } {
  if (!existsSync(path)) return { events: [], torn: 0 }
  const events: T[] = []
  let torn = 0
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue
    try {
      events.push(JSON.parse(line) as T)
    } catch {
      // A record torn by kill -9, with the next run's first record appended to it.
      torn++
      const next = line.lastIndexOf('{"@timestamp"')
      if (next > 0) {
        try {
          events.push(JSON.parse(line.slice(next)) as T)
        } catch {
          // torn at the very end: nothing after it
        }
      }
    }
  }
  return { events, torn }
}

export interface ShippedLine {
  message: string
  log: { offset: number; file?: { path: string }; flags?: string[] }
  [key: string]: unknown
}

/** Counts how often each `id=<n>` appears in the shipped messages. */
export function countIds(events: readonly { message: string }[]): Map<number, number> {
  const counts = new Map<number, number>()
  for (const e of events) {
    const m = /id=(\d+)/.exec(e.message)
    if (m) counts.set(Number(m[1]), (counts.get(Number(m[1])) ?? 0) + 1)
  }
  return counts
}

/** Ids in [0, n) that are missing or appear more than once. */
export function exactlyOnceProblems(counts: Map<number, number>, n: number): { missing: number[]; duplicated: number[]; extra: number[] } {
  const missing: number[] = []
  const duplicated: number[] = []
  for (let i = 0; i < n; i++) {
    const c = counts.get(i) ?? 0
    if (c === 0) missing.push(i)
    else if (c > 1) duplicated.push(i)
  }
  const extra = [...counts.keys()].filter((k) => k < 0 || k >= n)
  return { missing: missing.slice(0, 20), duplicated: duplicated.slice(0, 20), extra: extra.slice(0, 20) }
}
