import { stringify } from 'yaml'
import { maskSecrets } from '../../config/index.js'
import { inspectConfig } from '../../tail/inspect.js'
import { loadConfigOrExit } from '../load.js'

/** `logship test config`: loaded only when the command runs. */
export async function testConfigAction(opts: { config: string }): Promise<void> {
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
}
