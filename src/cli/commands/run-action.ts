import { TailRunner } from '../../tail/runner.js'
import { loadConfigOrExit } from '../load.js'
import { printSummary, fateOfUnacknowledged } from '../report.js'
import { handleSignals } from '../signals.js'
import { observe } from '../observe.js'
import { startBackfillProgress } from '../backfill-progress.js'
import type { HeldSignals } from '../startup-signals.js'

/** Plain progress lines (not on a terminal) come this often; a bar redraws on its own. */
const PROGRESS_LINE_MS = 5000

export interface RunOptions {
  config: string
  once?: boolean
  progress: boolean
}

/** `logship run`: loaded only when the command runs, so `logship --help` stays quick. */
export async function runAction(opts: RunOptions, held?: HeldSignals): Promise<void> {
  const config = loadConfigOrExit(opts.config)
  const startedAt = performance.now()
  const once = opts.once === true
  const runner = await TailRunner.start({ config, once })
  const showProgress = once && opts.progress
  // a bar owns the terminal: stats lines would tear it
  const observation = await observe(runner, { statsLog: !(showProgress && process.stderr.isTTY) })
  const progress = showProgress ? startBackfillProgress(runner, process.stderr, PROGRESS_LINE_MS) : undefined
  let exitCode = 0
  const stopped = new Promise<void>((resolve) => {
    const off = handleSignals({
      stop: (signal) => {
        process.stderr.write(`logship: ${signal}: stopping (waiting up to ${config.shutdownTimeoutMs} ms for acknowledgements)\n`)
        progress?.stop()
        void runner.stop().then((summary) => {
          off()
          if (summary.unacknowledged > 0) process.stderr.write(`logship: ${summary.unacknowledged} events were not acknowledged; ${fateOfUnacknowledged(config)}\n`)
          else process.stderr.write('logship: stopped: every line read was acknowledged\n')
          if (summary.registryWriteFailed) exitCode = 1
          resolve()
        })
      },
      reopen: () => void runner.reopen(),
      dump: () => process.stderr.write(`${JSON.stringify(runner.stats())}\n`),
      unacknowledged: () => `unacknowledged lines: ${fateOfUnacknowledged(config)}`,
    })
    const files = config.inputs.filter((i) => i.type === 'file').length
    process.stderr.write(
      `logship: running (${files} file input${files === 1 ? '' : 's'}${files < config.inputs.length ? ' and stdin' : ''} → ${config.output.type} output${files > 0 ? `, read pointers in ${config.registry.path}` : ''}; pid ${process.pid})\n`,
    )
    if (once || config.inputs.every((i) => i.type === 'stdin')) {
      void runner.finished().then(async () => {
        const summary = await runner.stop(Infinity)
        off()
        progress?.stop()
        printSummary(runner, summary, startedAt)
        if (summary.stats.shipper.failed > 0 || summary.unacknowledged > 0 || summary.registryWriteFailed) exitCode = 1
        resolve()
      })
    }
    // signals that came while starting: now that the handlers are in place
    held?.handOver()
  })
  await stopped
  await observation.stop()
  process.exitCode = exitCode
  // Everything is written; a connection or thread that has not let go yet must not keep the process alive.
  setTimeout(() => process.exit(exitCode), 200).unref()
}
