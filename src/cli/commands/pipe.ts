import { Command } from 'commander'
import { configSchema, type Config } from '../../config/index.js'
import { withTailDefaults } from '../../config/load.js'
import { TailRunner } from '../../tail/runner.js'
import { loadConfigOrExit } from '../load.js'
import { printSummary } from '../report.js'
import { handleSignals } from '../signals.js'
import { formatIssues } from '../../options/format-issues.js'
import { observe } from '../observe.js'
import { readFileSync } from 'node:fs'
import { redactUrlText } from '../../redact.js'

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

Credentials: the command line is visible to every user (ps, /proc). Give them through the environment
(LOGSHIP_OUTPUT_URL=https://user:pass@host/path, LOGSHIP_OUTPUT_AUTHORIZATION='Bearer ...'), a file
(--output-authorization-file /run/secrets/ingest-auth) or a config file (-c, with \${ENV} references).

Examples:
  node app.js | logship pipe --output-url http://127.0.0.1:8080/ingest
  node app.js | logship pipe --parser json --output-file app.ndjson
  tail -F /var/log/syslog | logship pipe -c logship.yml`,
    )
    .action(async (opts: PipeOptions & { quiet?: boolean }) => {
      const config = pipeConfig(opts)
      const startedAt = performance.now()
      const runner = await TailRunner.start({ config })
      const observation = await observe(runner, { statsLog: true })
      const off = handleSignals({
        // The writing app usually gets the same signal and ends, closing stdin: keep shipping until then.
        stop: (signal) => process.stderr.write(`logship: ${signal}: shipping what stdin still holds (send it again to exit now)\n`),
        dump: () => process.stderr.write(`${JSON.stringify(runner.stats())}\n`),
      })
      await runner.finished()
      const summary = await runner.stop(Infinity)
      off()
      await observation.stop()
      if (!opts.quiet) printSummary(runner, summary, startedAt, process.stderr)
      process.exitCode = summary.stats.shipper.failed > 0 || summary.unacknowledged > 0 ? 1 : 0
    })
}

interface PipeOptions {
  config?: string
  outputUrl?: string
  outputAuthorizationFile?: string
  outputFile?: string
  parser?: string
}

function pipeConfig(opts: PipeOptions): Config {
  const base: Record<string, unknown> = opts.config ? { ...loadConfigOrExit(opts.config) } : {}
  const inputs = (base.inputs as Config['inputs'] | undefined)?.filter((i) => i.type === 'stdin') ?? []
  base.inputs = (inputs.length > 0 ? inputs : [{ type: 'stdin' }]).map((input) => (opts.parser ? { ...input, parser: opts.parser } : input))
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
  const parsed = configSchema.safeParse(base, { reportInput: true })
  if (!parsed.success) {
    process.stderr.write(`logship pipe: ${formatIssues(parsed.error.issues).join('\n  ')}\n`)
    process.exit(2)
  }
  return opts.config ? parsed.data : withTailDefaults(parsed.data, base)
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
