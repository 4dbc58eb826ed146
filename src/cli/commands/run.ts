import { Command } from 'commander'
import type { RunOptions } from './run-action.js'
import { holdSignals } from '../startup-signals.js'

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
    .action(async (opts: RunOptions) => {
      const held = holdSignals()
      return (await import('./run-action.js')).runAction(opts, held)
    })
}
