/**
 * Modules: parsers that turn apache, nginx and mysql log entries into ECS 8.x fields at the
 * edge, and the catalogue that turns a `modules:` config entry into file inputs.
 */
export { PARSE_FAILURE_TAG } from './types.js'
export { createParser, PARSER_NAMES, type ParserName } from './parsers.js'
export { MODULES, type FilesetDefinition } from './catalogue.js'
export { modulesSchema } from './schema.js'
export { expandModules } from './expand.js'
export { listModules, formatModuleList } from './list.js'
