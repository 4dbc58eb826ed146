import { Command } from 'commander'

export function testConfigCommand(): Command {
  return new Command('config')
    .description('Validate a config, check its globs and writable paths, and print the effective config (defaults filled in, secrets masked). Exits 2 with one line per problem.')
    .requiredOption('-c, --config <file>', 'YAML config file')
    .action(async (opts: { config: string }) => (await import('./test-config-action.js')).testConfigAction(opts))
}
