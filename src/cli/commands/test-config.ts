import { Command } from 'commander'
import { stringify } from 'yaml'
import { maskSecrets } from '../../config/index.js'
import { inspectConfig } from '../../tail/inspect.js'
import { loadConfigOrExit } from '../load.js'

export function testConfigCommand(): Command {
  return new Command('config')
    .description('Validate a config, check its globs and writable paths, and print the effective config (defaults filled in, secrets masked). Exits 2 with one line per problem.')
    .requiredOption('-c, --config <file>', 'YAML config file')
    .action(async (opts: { config: string }) => {
      const config = loadConfigOrExit(opts.config)
      const findings = await inspectConfig(config)
      for (const f of findings) process.stderr.write(`logship: ${f.level}: ${f.message}\n`)
      if (findings.some((f) => f.level === 'error')) {
        process.stderr.write(`logship: ${opts.config}: config not usable (see the errors above)\n`)
        process.exitCode = 2
        return
      }
      process.stdout.write(
        `# ${opts.config}: config OK${findings.length > 0 ? ` (${findings.length} warning${findings.length === 1 ? '' : 's'} on stderr)` : ''}. Effective config (defaults filled in, secrets masked):\n`,
      )
      process.stdout.write(stringify(maskSecrets(config), { lineWidth: 0 }))
    })
}
