import { Command } from 'commander'
import type { PipeOptions } from './pipe-action.js'
import { holdSignals } from '../startup-signals.js'

export function pipeCommand(): Command {
  return new Command('pipe')
    .description('Ship the lines of stdin (node app.js | logship pipe ...); exit when stdin ends and everything is acknowledged.')
    .option('-c, --config <file>', 'YAML config: its output, queue, batch, retry and fields (and the settings of a `type: stdin` input) are used')
    .option('--output-url <url>', 'ship as NDJSON over HTTP POST to this URL (default: $LOGSHIP_OUTPUT_URL); keep credentials out of it, see below')
    .option('--output-authorization-file <file>', 'send the first line of this file as the Authorization header (default: $LOGSHIP_OUTPUT_AUTHORIZATION)')
    .option('--output-file <path>', 'append NDJSON to this file')
    .option('--parser <name>', 'parse each line: `json` for JSON loggers (pino, winston, bunyan), or a module parser such as nginx.access')
    .option('--quiet', 'do not print the summary on stderr at the end')
    .addHelpText(
      'after',
      `
Exit status: 0 when every line was acknowledged, 1 when some were refused or not acknowledged, 2 for usage errors.

SIGTERM, SIGINT: keep reading stdin and shipping for up to shutdownTimeoutMs (the writer usually ends too), then
stop; lines not acknowledged by then are lost (stdin cannot be read again), counted in the summary, exit 1.
A second signal exits at once (130).

Credentials: the command line is visible to every user (ps, /proc). Give them through the environment
(LOGSHIP_OUTPUT_URL=https://user:pass@host/path, LOGSHIP_OUTPUT_AUTHORIZATION='Bearer ...'), a file
(--output-authorization-file /run/secrets/ingest-auth) or a config file (-c, with \${ENV} references).

Examples:
  node app.js | logship pipe --output-url http://127.0.0.1:8080/ingest
  node app.js | logship pipe --parser json --output-file app.ndjson
  tail -F /var/log/syslog | logship pipe -c logship.yml`,
    )
    .action(async (opts: PipeOptions) => {
      const held = holdSignals()
      return (await import('./pipe-action.js')).pipeAction(opts, held)
    })
}
