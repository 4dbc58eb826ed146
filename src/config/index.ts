export { loadConfigFile, parseConfigText, ConfigError } from './load.js'
export type { Config, FileInputConfig } from './schema.js'
export { maskSecrets } from './mask.js'
