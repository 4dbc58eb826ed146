import { Command } from 'commander'
import { VERSION } from '../version.js'
import { runCommand } from './commands/run.js'
import { pipeCommand } from './commands/pipe.js'
import { testCommand } from './commands/test.js'
import { modulesCommand } from './commands/modules.js'
import { surviveBrokenPipes } from './broken-pipes.js'
import { descriptorAdvice } from '../util/fd-limit.js'

surviveBrokenPipes()

/** `logship`: tail mode, pipe mode and config checks. Each command lives in its own file. */
const program = new Command('logship')
  .description('Ship log lines from files, stdin or Node apps to Elasticsearch, Logstash, HTTP or a file, without losing them.')
  .version(VERSION, '-V, --version')
  .showHelpAfterError('(run with --help for usage)')
  .addCommand(runCommand())
  .addCommand(pipeCommand())
  .addCommand(testCommand())
  .addCommand(modulesCommand())

// Usage errors (unknown option, missing -c, bad flag value) exit 2, as config errors do: exit 1
// means lines were refused or not acknowledged. Commander's own code is 1; help and version exit 0.
const usageExit = (err: { exitCode: number }): never => process.exit(err.exitCode === 0 ? 0 : 2)
const everyCommand = (command: Command): Command[] => [command, ...command.commands.flatMap(everyCommand)]
for (const command of everyCommand(program)) command.exitOverride(usageExit)

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`logship: ${err instanceof Error ? err.message : String(err)}${descriptorAdvice(err)}\n`)
  process.exit(1)
})
