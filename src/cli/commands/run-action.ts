import { TailRunner, type TailSummary } from '../../tail/runner.js'
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
    // One stop only, by a signal or at the end of --once / stdin: two at once raced, and the
    // --once summary, computed after the other had closed the shipper, lost its unacknowledged count.
    let stopping: Promise<TailSummary> | undefined
    let signalled = false
    let giveUp!: () => void
    const graceOver = new Promise<void>((r) => (giveUp = r))
    const sayStopped = (summary: TailSummary): void => {
      if (summary.unacknowledged > 0) process.stderr.write(`logship: ${summary.unacknowledged} events were not acknowledged; ${fateOfUnacknowledged(config)}\n`)
      else process.stderr.write('logship: stopped: every line read was acknowledged\n')
    }
    const off = handleSignals({
      stop: (signal) => {
        process.stderr.write(`logship: ${signal}: stopping (waiting up to ${config.shutdownTimeoutMs} ms for acknowledgements)\n`)
        progress?.stop()
        signalled = true
        // --once may already be waiting for acknowledgements: that wait now ends after shutdownTimeoutMs
        setTimeout(giveUp, config.shutdownTimeoutMs).unref()
        if (stopping) return
        stopping = runner.stop()
        void stopping.then((summary) => {
          off()
          sayStopped(summary)
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
        if (stopping) return
        stopping = runner.stop(Infinity, graceOver)
        const summary = await stopping
        off()
        progress?.stop()
        printSummary(runner, summary, startedAt)
        // after a signal, the exit code is the signal's (docs/tail.md): 0 unless the registry write failed
        if (signalled) sayStopped(summary)
        if (summary.registryWriteFailed || (!signalled && (summary.stats.shipper.failed > 0 || summary.unacknowledged > 0))) exitCode = 1
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
