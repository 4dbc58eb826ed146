import { loadConfigFile, ConfigError, type Config } from '../config/index.js'
import { parserNames } from '../tail/parsers.js'

/** Loads a config for a command; on a problem prints it and exits 2 (usage error). */
export function loadConfigOrExit(file: string): Config {
  try {
    return loadConfigFile(file, { extraChecks: parserChecks })
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`logship: invalid config ${err.message}\n`)
      process.exit(2)
    }
    throw err
  }
}

/** Every `parser:` must name a registered parser. */
export function parserChecks(config: Config): { path: (string | number)[]; message: string }[] {
  const names = parserNames()
  return config.inputs.flatMap((input, i) =>
    input.parser === undefined || typeof input.parser !== 'string' || names.includes(input.parser)
      ? []
      : [{ path: ['inputs', i, 'parser'], message: `got ${JSON.stringify(input.parser)}; expected one of ${names.join(' | ') || '(no parsers are available in this build)'}` }],
  )
}
