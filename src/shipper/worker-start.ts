import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker, type WorkerOptions } from 'node:worker_threads'

/**
 * The working directory when logship was loaded: a relative preload (`--require ./x.cjs`) was
 * found from there at start (see startDirOf), while the worker would look for it from wherever
 * the app has since moved (process.chdir), fail to start, and ship nothing.
 */
const LOAD_CWD = process.cwd()

/** Options whose value is a module the worker loads too: CommonJS paths, and ESM specifiers. */
const REQUIRE_OPTIONS = new Set(['--require', '-r'])
const IMPORT_OPTIONS = new Set(['--import', '--loader', '--experimental-loader'])
/** One of those options in NODE_OPTIONS, with a value that starts with ./ or ../ */
const RELATIVE_PRELOAD_IN_NODE_OPTIONS = new RegExp(`(^|\\s)(${[...REQUIRE_OPTIONS, ...IMPORT_OPTIONS].join('|')})(=|\\s+)(\\.\\.?[\\\\/][^\\s"']*)`, 'g')

/**
 * Starts the shipping worker with the app's Node options (loaders, `--import`, conditions:
 * the worker inherits them as Node does by default) less those a worker cannot take.
 *
 * `new Worker` throws ERR_WORKER_INVALID_EXEC_ARGV for every per-process option in `execArgv`
 * (`--expose-gc`, `--title`, `--abort-on-uncaught-exception`, `--zero-fill-buffers`, `--v8-pool-size`,
 * `--perf-basic-prof` and more, Node 20–24). The list differs between Node versions, so it is
 * not ours to keep: the ones Node names in its error are left out and the worker started
 * again. An app started with them gets its shipper, not an exception from createShipper().
 */
export function startWorker(url: URL, options: Omit<WorkerOptions, 'execArgv'>): Worker {
  let execArgv = workerExecArgv(process.execArgv)
  // a worker reads NODE_OPTIONS again from its env: the same relative preloads there
  const nodeOptions = process.env.NODE_OPTIONS
  const anchoredNodeOptions = nodeOptions?.replace(
    RELATIVE_PRELOAD_IN_NODE_OPTIONS,
    (_, before: string, name: string, sep: string, value: string) => `${before}${name}${sep}${anchored(name, value)}`,
  )
  const env = anchoredNodeOptions === nodeOptions ? {} : { env: { ...process.env, NODE_OPTIONS: anchoredNodeOptions } }
  // each round removes at least one option, so this ends
  for (;;) {
    try {
      return new Worker(url, { ...options, ...env, execArgv })
    } catch (err) {
      const refused = refusedOptions(err)
      if (refused === undefined) throw err
      const kept = withoutOptions(execArgv, refused)
      if (kept.length === execArgv.length) throw err
      execArgv = kept
    }
  }
}

/** The options named by ERR_WORKER_INVALID_EXEC_ARGV ("... invalid execArgv flags: --a, --b"), else undefined. */
function refusedOptions(err: unknown): Set<string> | undefined {
  if (!(err instanceof Error) || (err as NodeJS.ErrnoException).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') return undefined
  const listed = /flags: (.*)$/s.exec(err.message)?.[1]
  if (listed === undefined) return undefined
  return new Set(listed.split(', ').map((option) => option.trim()))
}

/**
 * `execArgv` without the refused options and their values: in execArgv, a word that does not
 * start with `-` is always the value of the option before it (`--title app`).
 */
function withoutOptions(execArgv: readonly string[], refused: ReadonlySet<string>): string[] {
  const out: string[] = []
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!
    if (!refused.has(arg)) {
      out.push(arg)
      continue
    }
    if (!arg.includes('=') && i + 1 < execArgv.length && !execArgv[i + 1]!.startsWith('-')) i++
  }
  return out
}

/**
 * V8's heap and stack sizes are per isolate: `new Worker` refuses them in `execArgv`
 * (ERR_WORKER_INVALID_EXEC_ARGV, Node 20–24), so `node --max-semi-space-size=2 logship ...`
 * would fail to start. The worker's heap is set by `resourceLimits` instead.
 */
const ISOLATE_SIZE_FLAG =
  /^--(max[-_]old[-_]space[-_]size|max[-_]semi[-_]space[-_]size|min[-_]semi[-_]space[-_]size|semi[-_]space[-_]growth[-_]factor|max[-_]heap[-_]size|initial[-_]heap[-_]size|initial[-_]old[-_]space[-_]size|stack[-_]size)(=|$)/

/**
 * The worker runs a file: options that only make sense for the app's own entry (`-e` source,
 * `--input-type`, `-p`) would make it fail at once, so they are left out, as are V8 heap and
 * stack sizes (above), known in advance.
 */
function workerExecArgv(execArgv: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!
    if (arg === '-e' || arg === '--eval' || arg === '-p' || arg === '--print' || arg === '--input-type') {
      i++ // its value follows
      continue
    }
    if (arg.startsWith('--input-type=') || arg.startsWith('--eval=') || arg.startsWith('--print=') || arg === '-pe') continue
    if (ISOLATE_SIZE_FLAG.test(arg)) continue // V8 takes these only as `--flag=value`
    const eq = arg.indexOf('=')
    const name = eq < 0 ? arg : arg.slice(0, eq)
    if (!REQUIRE_OPTIONS.has(name) && !IMPORT_OPTIONS.has(name)) {
      out.push(arg)
      continue
    }
    if (eq >= 0) {
      out.push(`${name}=${anchored(name, arg.slice(eq + 1))}`)
    } else {
      out.push(arg)
      if (i + 1 < execArgv.length) out.push(anchored(name, execArgv[++i]!))
    }
  }
  return out
}

/** A preload given relative to the working directory (`./x`, `../x`), made absolute where it was found at start; others (package names, URLs, absolute paths) as they are. */
function anchored(option: string, value: string): string {
  if (!/^\.\.?[\\/]/.test(value)) return value
  const path = resolve(startDirOf(value), value)
  return IMPORT_OPTIONS.has(option) ? pathToFileURL(path).href : path
}

/**
 * The directory a relative preload was found from when the process started: the working
 * directory when logship was loaded, unless the app had moved before loading it; then the one
 * the shell started it in (PWD, which process.chdir leaves alone). Whichever holds the file.
 */
function startDirOf(value: string): string {
  for (const dir of [LOAD_CWD, process.env.PWD]) {
    if (dir === undefined || dir === '') continue
    try {
      createRequire(join(dir, 'preload-anchor.cjs')).resolve(value)
      return dir
    } catch {
      // not there: the next candidate
    }
  }
  return LOAD_CWD
}
