import { spawn } from 'node:child_process'
import { writeFileSync, mkdtempSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface ChildResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/**
 * Runs an ES module script given as source text (the docs' own examples) in a child `node`
 * process from the package root, so `import ... from 'logship'` resolves to the built package.
 * Scripts written for a test belong in test/fixtures and run with runFixture().
 */
export function runScript(source: string, opts: ChildOptions = {}): Promise<ChildResult> {
  mkdirSync(join(ROOT, '.tmp'), { recursive: true })
  const dir = mkdtempSync(join(ROOT, '.tmp', 'child-'))
  const file = join(dir, 'script.mjs')
  writeFileSync(file, source)
  return runNode([file], opts)
}

/**
 * Runs a script from test/fixtures (e.g. `child/exit-after-writes.mjs`) in a child `node`
 * process from the package root; `params` reach it as JSON in argv[2] (see fixtures/child/params.mjs).
 */
export function runFixture(name: string, params: Record<string, unknown> = {}, opts: ChildOptions = {}): Promise<ChildResult> {
  return runNode([...(opts.execArgv ?? []), join(ROOT, 'test', 'fixtures', name), JSON.stringify(params)], opts)
}

/** Runs a script file (a fixture under test/fixtures) with plain arguments. */
export function runFile(file: string, args: readonly string[], opts: ChildOptions = {}): Promise<ChildResult> {
  return runNode([...(opts.execArgv ?? []), file, ...args], opts)
}

interface ChildOptions {
  env?: Record<string, string>
  timeoutMs?: number
  /** Node options before the script, such as `--require preload.cjs`. */
  execArgv?: readonly string[]
}

function runNode(args: string[], opts: ChildOptions): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    // setEncoding decodes across chunk boundaries (a character may arrive split in two reads)
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`child script did not finish within ${opts.timeoutMs ?? 60_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`))
    }, opts.timeoutMs ?? 60_000)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
}

/**
 * Runs fixtures/child/ship-to-file.mjs in a child `node` started with `execArgv`: it ships
 * `count` events `{ i }` to a file output with the default engine and closes. Gives the
 * child's result and the `i` of every line in the file, in order.
 */
export async function shipToFileInChild(execArgv: readonly string[], count = 5): Promise<{ result: ChildResult; shipped: number[] }> {
  mkdirSync(join(ROOT, '.tmp'), { recursive: true })
  const path = join(mkdtempSync(join(ROOT, '.tmp', 'ship-to-file-')), 'out.ndjson')
  const result = await runFixture('child/ship-to-file.mjs', { path, count }, { execArgv })
  const text = result.code === 0 ? readFileSync(path, 'utf8').trim() : ''
  return { result, shipped: text === '' ? [] : text.split('\n').map((line) => (JSON.parse(line) as { i: number }).i) }
}
