import { Command, InvalidArgumentError } from 'commander'
import type { TestOutputOptions } from './test-output-action.js'

export function testOutputCommand(): Command {
  return new Command('output')
    .description('Connect to every host of the configured output and report reachability, TLS, credentials and version in plain words. Exits 1 when something is wrong.')
    .requiredOption('-c, --config <file>', 'YAML config file')
    .option('--write', 'also ship one test event (message "logship test event ...", event.dataset logship.test) and wait for its acknowledgement')
    .option('--timeout-ms <ms>', 'longest wait for each answer', wholeMilliseconds, 10_000)
    .addHelpText(
      'after',
      `
Examples:
  logship test output -c /etc/logship/logship.yml
  logship test output -c logship.yml --write`,
    )
    .action(async (opts: TestOutputOptions) => (await import('./test-output-action.js')).testOutputAction(opts))
}

/** `--timeout-ms`: parseInt took `abc` for NaN (blamed on the output as a request failure) and `1e3` for 1. */
function wholeMilliseconds(value: string): number {
  const ms = Number(value)
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(ms) || ms < 1) throw new InvalidArgumentError(`expected whole milliseconds of 1 or more, such as 5000`)
  return ms
}
