import { Command } from 'commander'

/** `logship modules list` / `logship modules fields`: the modules, their paths, and the fields each parser adds. */
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
  const fields = new Command('fields')
    .description("List the fields each parser adds (field, ECS type, where it comes from), or with --nginx-format/--apache-format the fields of your server's own format.")
    .argument('[parser]', 'one parser, such as nginx.access (default: all)')
    .option('--nginx-format <log_format>', 'an nginx log_format string, such as \'$remote_addr [$time_local] "$request" $status\'')
    .option('--apache-format <LogFormat>', 'an apache LogFormat string, such as \'%h %l %u %t "%r" %>s %b\'')
    .option('--variables <names>', 'with --nginx-format: variables nginx.conf makes with map or set, comma-separated')
    .option('--json', 'print the lists as JSON')
    .action(async (parser: string | undefined, opts: { nginxFormat?: string; apacheFormat?: string; variables?: string; json?: boolean }) => {
      const { builtInFieldLists, formatFieldList, formatFieldLists } = await import('../../tail/modules/field-list.js')
      const { LogFormatProblem } = await import('../../tail/modules/log-format/compile.js')
      try {
        const variables = opts.variables?.split(',').map((v) => v.trim().replace(/^\$/, ''))
        const lists =
          opts.nginxFormat !== undefined
            ? [formatFieldList({ nginx: { logFormat: opts.nginxFormat, ...(variables === undefined ? {} : { variables }) } })]
            : opts.apacheFormat !== undefined
              ? [formatFieldList({ apache: { logFormat: opts.apacheFormat } })]
              : builtInFieldLists(parser)
        process.stdout.write(opts.json ? `${JSON.stringify(lists, null, 2)}\n` : formatFieldLists(lists))
      } catch (err) {
        if (!(err instanceof LogFormatProblem || err instanceof RangeError)) throw err
        const flag = opts.nginxFormat !== undefined ? '--nginx-format' : opts.apacheFormat !== undefined ? '--apache-format' : 'parser'
        process.stderr.write(`logship modules fields: ${flag}: ${err.message}\n`)
        process.exitCode = 2
      }
    })
  return new Command('modules').description('Log formats logship parses into ECS fields (nginx, apache, mysql).').addCommand(list).addCommand(fields)
}
