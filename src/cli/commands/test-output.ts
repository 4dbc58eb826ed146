import { Command } from 'commander'
import { loadConfigOrExit } from '../load.js'
import { testOutput } from '../../output-check/index.js'

export function testOutputCommand(): Command {
  return new Command('output')
    .description('Connect to every host of the configured output and report reachability, TLS, credentials and version in plain words. Exits 1 when something is wrong.')
    .requiredOption('-c, --config <file>', 'YAML config file')
    .option('--write', 'also ship one test event (message "logship test event ...", event.dataset logship.test) and wait for its acknowledgement')
    .option('--timeout-ms <ms>', 'longest wait for each answer', (v) => Number.parseInt(v, 10), 10_000)
    .addHelpText(
      'after',
      `
Examples:
  logship test output -c /etc/logship/logship.yml
  logship test output -c logship.yml --write`,
    )
    .action(async (opts: { config: string; write?: boolean; timeoutMs: number }) => {
      const config = loadConfigOrExit(opts.config)
      const report = await testOutput(config.output, { write: opts.write === true, timeoutMs: opts.timeoutMs })
      const mark = (ok: boolean): string => (ok ? 'ok  ' : 'FAIL')
      const lines = report.hosts.map((h) => `${mark(h.ok)} ${h.message}`)
      if (report.write) lines.push(`${mark(report.write.ok)} write: ${report.write.message}`)
      else if (report.ok) lines.push('     (nothing was written; add --write to ship one test event)')
      lines.push(report.ok ? `logship: the ${report.type} output is ready` : `logship: the ${report.type} output has problems (see FAIL above)`)
      process.stdout.write(`${lines.join('\n')}\n`)
      process.exitCode = report.ok ? 0 : 1
    })
}
