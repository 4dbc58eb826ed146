import { Command } from 'commander'
import { TailRunner } from '../../tail/runner.js'
import { loadConfigOrExit } from '../load.js'
import { printSummary } from '../report.js'
import { handleSignals } from '../signals.js'
import { observe } from '../observe.js'
import { startBackfillProgress } from '../backfill-progress.js'

/** Plain progress lines (not on a terminal) come this often; a bar redraws on its own. */
const PROGRESS_LINE_MS = 5000

export function runCommand(): Command {
  return new Command('run')
    .description('Tail the files (and stdin) named in the config and ship every line to its output, keeping a read pointer per file.')
    .requiredOption('-c, --config <file>', 'YAML config file (see docs/tail.md)')
    .option('--once', 'read every matched file to its end, ship, wait for acknowledgements, write the registry and exit')
    .option('--no-progress', 'with --once: no progress bar (on a terminal) or progress lines (otherwise) on stderr')
    .addHelpText(
      'after',
      `
Signals:
  SIGTERM, SIGINT  stop reading, ship what was read (up to shutdownTimeoutMs), write the registry, exit 0
                   (exit 1 if that last registry write failed)
  SIGHUP           close and reopen every file (after log rotation by an external tool)
  SIGUSR2          print stats (per-file lag included) as one JSON line on stderr

Output:
  stderr           a stats line every statsIntervalMs (default 30 s; silent when nothing changed);
                   with --once a progress bar on a terminal, plain progress lines otherwise
  stdout           with --once, a summary at the end (files, lines, bytes, seconds, acked, failed)
  http             /metrics, /stats and /healthz when the config has http: { port: 5066 }

Example:
  logship run -c /etc/logship/logship.yml
  logship run --once -c examples/quickstart.yml`,
    )
    .action(async (opts: { config: string; once?: boolean; progress: boolean }) => {
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
              if (summary.unacknowledged > 0) process.stderr.write(`logship: ${summary.unacknowledged} events were not acknowledged; they are read again at the next start\n`)
              else process.stderr.write('logship: stopped: every line read was acknowledged\n')
              if (summary.registryWriteFailed) exitCode = 1
              resolve()
            })
          },
          reopen: () => void runner.reopen(),
          dump: () => process.stderr.write(`${JSON.stringify(runner.stats())}\n`),
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
      })
      await stopped
      await observation.stop()
      process.exitCode = exitCode
      // Everything is written; a connection or thread that has not let go yet must not keep the process alive.
      setTimeout(() => process.exit(exitCode), 200).unref()
    })
}
