import type { Config } from '../../config/index.js'
import { TailRunner } from '../../tail/runner.js'
import { loadConfigOrExit, resolveFlagsOrExit } from '../load.js'
import { printSummary, fateOfUnacknowledged } from '../report.js'
import { handleSignals } from '../signals.js'
import { observe } from '../observe.js'
import { readFileSync } from 'node:fs'
import { redactUrlText } from '../../redact.js'
import type { HeldSignals } from '../startup-signals.js'

/** `logship pipe`: loaded only when the command runs, so `logship --help` stays quick. */
export async function pipeAction(opts: PipeOptions, held?: HeldSignals): Promise<void> {
  const config = pipeConfig(opts)
  const startedAt = performance.now()
  const runner = await TailRunner.start({ config })
  const observation = await observe(runner, { statsLog: true })
  let stopAsked!: () => void
  let signalledYet = false
  const signalled = new Promise<void>((resolve) => (stopAsked = resolve))
  const off = handleSignals({
    // The writing app usually gets the same signal and ends, closing stdin: keep shipping until
    // then, but no longer than shutdownTimeoutMs (stdin may never end, the output may not answer).
    stop: (signal) => {
      process.stderr.write(`logship: ${signal}: shipping what stdin still holds for up to ${config.shutdownTimeoutMs} ms (send it again to exit now)\n`)
      signalledYet = true
      stopAsked()
    },
    dump: () => process.stderr.write(`${JSON.stringify(runner.stats())}\n`),
    unacknowledged: () => {
      const { accepted, settled } = runner.shipper.progress()
      return `lines from stdin that were not acknowledged are lost (${accepted - settled} accepted and not yet acknowledged)`
    },
  })
  held?.handOver()
  const graceOver = signalled.then(() => new Promise<void>((resolve) => setTimeout(resolve, config.shutdownTimeoutMs).unref()))
  await Promise.race([runner.finished(), graceOver])
  const note = signalledYet ? undefined : setTimeout(() => void noteWaitAfterEnd(runner), WAIT_NOTE_AFTER_MS).unref()
  // Without a signal, wait for every acknowledgement for as long as it takes; after one, until the grace ends.
  const summary = await runner.stop(Infinity, graceOver)
  clearTimeout(note)
  off()
  await observation.stop()
  if (!opts.quiet) printSummary(runner, summary, startedAt, process.stderr)
  else if (summary.unacknowledged > 0) process.stderr.write(`logship pipe: ${summary.unacknowledged} lines were not acknowledged; ${fateOfUnacknowledged(config)}\n`)
  const exitCode = summary.stats.shipper.failed > 0 || summary.unacknowledged > 0 ? 1 : 0
  process.exitCode = exitCode
  // Everything is written; a connection the output did not let go of must not keep the process alive.
  setTimeout(() => process.exit(exitCode), 200).unref()
}

/** How long after stdin ends pipe waits quietly for the last acknowledgements before saying why it has not exited. */
const WAIT_NOTE_AFTER_MS = 3000

/**
 * stdin has ended and pipe waits for the output to acknowledge every line, for as long as it
 * takes (exiting would lose them). While the output fails that can be forever: say so once,
 * with the output's error and how to stop waiting, so that a pipe that does not exit is not a mystery.
 */
async function noteWaitAfterEnd(runner: TailRunner): Promise<void> {
  const { accepted, settled } = runner.shipper.progress()
  if (accepted === settled) return
  const down = (await runner.shipper.health()).filter((h) => !h.up)
  if (down.length === 0) return
  const why = down.map((h) => `${h.host}: ${h.lastError ?? 'not answering'}`).join('; ')
  process.stderr.write(
    `logship pipe: stdin has ended; waiting for the output to acknowledge the last ${accepted - settled} lines, but it is failing (${why}). Fix the output and pipe ships them and exits; or send SIGTERM (Ctrl-C) to stop waiting, and what is still unacknowledged after the shutdown timeout is lost\n`,
  )
}

export interface PipeOptions {
  config?: string
  outputUrl?: string
  outputAuthorizationFile?: string
  outputFile?: string
  parser?: string
  quiet?: boolean
}

/**
 * The flags over the -c config (its stdin inputs, output, queue, ...), then the same front door
 * as a config file: one schema, the same checks and messages.
 */
function pipeConfig(opts: PipeOptions): Config {
  const base: Record<string, unknown> = opts.config ? { ...loadConfigOrExit(opts.config) } : {}
  const inputs = (base.inputs as Config['inputs'] | undefined)?.filter((i) => i.type === 'stdin') ?? []
  base.inputs = (inputs.length > 0 ? inputs : [{ type: 'stdin' }]).map((input) => (opts.parser ? { ...input, parser: opts.parser } : input))
  // the modules' file inputs are left out with the others (pipe reads stdin only)
  delete base.modules
  if (opts.outputUrl && redactUrlText(opts.outputUrl) !== opts.outputUrl) {
    process.stderr.write(
      'logship pipe: warning: --output-url holds credentials or query values, which every local user can read in the process list; pass the URL in LOGSHIP_OUTPUT_URL, or the Authorization header with --output-authorization-file\n',
    )
  }
  const url = opts.outputUrl ?? (opts.outputFile || opts.config ? undefined : process.env.LOGSHIP_OUTPUT_URL)
  if (url) base.output = { type: 'http', url, headers: authorizationHeader(opts.outputAuthorizationFile) }
  else if (opts.outputFile) base.output = { type: 'file', path: opts.outputFile }
  if (!base.output) {
    process.stderr.write('logship pipe: no output; give --output-url URL, --output-file PATH or -c FILE (or set LOGSHIP_OUTPUT_URL)\n')
    process.exit(2)
  }
  return resolveFlagsOrExit(base, 'logship pipe')
}

/** The Authorization header from --output-authorization-file or LOGSHIP_OUTPUT_AUTHORIZATION (never from argv). */
function authorizationHeader(file: string | undefined): Record<string, string> {
  let value = process.env.LOGSHIP_OUTPUT_AUTHORIZATION
  if (file) {
    try {
      value = readFileSync(file, 'utf8').split(/\r?\n/)[0]!.trim()
    } catch (err) {
      process.stderr.write(
        `logship pipe: cannot read --output-authorization-file ${file} (${(err as NodeJS.ErrnoException).code ?? 'unreadable'}); give a readable file holding the header value, such as: Bearer <token>\n`,
      )
      process.exit(2)
    }
  }
  return value ? { authorization: value } : {}
}
