import { Command } from 'commander'
import { testConfigCommand } from './test-config.js'
import { testOutputCommand } from './test-output.js'

/** `logship test ...`: checks that ship nothing (unless `output --write`). Subcommands live in their own files. */
export function testCommand(): Command {
  return new Command('test').description('Check a config, or the output it names.').addCommand(testConfigCommand()).addCommand(testOutputCommand())
}
