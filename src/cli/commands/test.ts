import { Command } from 'commander'
import { testConfigCommand } from './test-config.js'

/** `logship test ...`: checks that do not ship anything. Subcommands live in their own files. */
export function testCommand(): Command {
  return new Command('test').description('Check a config (and, later, an output) without shipping anything.').addCommand(testConfigCommand())
}
