import { loadConfigFile, ConfigError, type Config } from '../config/index.js'
import { resolveConfig } from '../config/resolve.js'
import { parserNames } from '../tail/parsers.js'

/** Loads a config file for a command (`run`, `pipe -c`, `test config`); on a problem prints it and exits 2 (usage error). */
export function loadConfigOrExit(file: string): Config {
  return orExit(() => loadConfigFile(file, { extraChecks: parserChecks }))
}

/**
 * A config a command made from its flags (`logship pipe`): it goes through the same front door
 * as a file, with `command` naming it in messages; on a problem prints it and exits 2.
 */
export function resolveFlagsOrExit(raw: Record<string, unknown>, command: string): Config {
  return orExit(() => resolveConfig(raw, { name: command, lineTag: () => '' }, { extraChecks: parserChecks }), '')
}

function orExit(resolve: () => Config, prefix = 'logship: invalid config '): Config {
  try {
    return resolve()
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${prefix}${err.message}\n`)
      process.exit(2)
    }
    throw err
  }
}

/** Every `parser:` must name a registered parser. */
function parserChecks(config: Config): { path: (string | number)[]; message: string }[] {
  const names = parserNames()
  return config.inputs.flatMap((input, i) =>
    input.parser === undefined || typeof input.parser !== 'string' || names.includes(input.parser)
      ? []
      : [{ path: ['inputs', i, 'parser'], message: `got ${JSON.stringify(input.parser)}; expected one of ${names.join(' | ') || '(no parsers are available in this build)'}` }],
  )
}
