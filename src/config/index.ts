export { loadConfigFile, parseConfigText, ConfigError, type LoadOptions } from './load.js'
export { configSchema, type Config, type ConfigInput, type InputConfig, type FileInputConfig, type StdinInputConfig, type MultilineConfig, type LineSettings } from './schema.js'
export { maskSecrets } from './mask.js'
