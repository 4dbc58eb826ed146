import { Command } from 'commander'

/** `logship modules list`: each module's filesets, parser, default paths and what exists here. */
export function modulesCommand(): Command {
  const list = new Command('list')
    .description('List the modules, their filesets, default paths per distribution, and which of those files exist on this machine.')
    .option('--root <dir>', 'look for the files under this directory instead of / (a container looking at the host)')
    .option('--json', 'print the listing as JSON')
    .action(async (opts: { root?: string; json?: boolean }) => {
      // loaded when run, so `logship --help` does not load every module's parser
      const { listModules, formatModuleList } = await import('../../tail/modules/list.js')
      const rows = await listModules(opts.root === undefined ? {} : { root: opts.root })
      process.stdout.write(opts.json ? `${JSON.stringify(rows, null, 2)}\n` : formatModuleList(rows))
    })
  return new Command('modules').description('Log formats logship parses into ECS fields (nginx, apache, mysql).').addCommand(list)
}
