import { Command } from 'commander'
import type { TestOutputOptions } from './test-output-action.js'

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
    .action(async (opts: TestOutputOptions) => (await import('./test-output-action.js')).testOutputAction(opts))
}
