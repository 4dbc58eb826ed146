import { Command } from 'commander'
import { stringify } from 'yaml'
import { maskSecrets } from '../../config/index.js'
import { loadConfigOrExit } from '../load.js'

export function testConfigCommand(): Command {
  return new Command('config')
    .description('Validate a config and print the effective config (defaults filled in, secrets masked). Exits 2 with one line per problem.')
    .requiredOption('-c, --config <file>', 'YAML config file')
    .action((opts: { config: string }) => {
      const config = loadConfigOrExit(opts.config)
      process.stdout.write(`# ${opts.config}: config OK. Effective config (defaults filled in, secrets masked):\n`)
      process.stdout.write(stringify(maskSecrets(config), { lineWidth: 0 }))
    })
}
