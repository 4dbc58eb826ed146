/**
 * Modules: parsers that turn apache, nginx and mysql log entries into ECS 8.x fields at the
 * edge, and the catalogue that turns a `modules:` config entry into file inputs.
 */
export type { ParsedFields, Parser, ParserOptions } from './types.js'
export { PARSE_FAILURE_TAG } from './types.js'
export { compileLogFormatParser, logFormatParserSchema, type LogFormatParserConfig } from './parsers.js'
export { createParser, PARSER_NAMES, parserNameSchema, parserInputShape, timezoneSchema, type ParserName } from './parsers.js'
export { mergeFields } from './merge.js'
export { MODULES, MODULE_NAMES, DISTRIBUTION_NAMES, defaultPaths, distributionsFor } from './catalogue.js'
export type { ModuleName, ModuleDefinition, FilesetDefinition, MultilineSettings, Distribution } from './catalogue.js'
export { modulesSchema, moduleEntrySchemaAny as moduleEntrySchema, filesetConfigSchema } from './schema.js'
export type { ModulesConfig, ModuleEntry, ModuleEntryInput, FilesetConfig } from './schema.js'
export { expandModule, expandModules, type ModuleFileInput, type ExpandOptions } from './expand.js'
export { listModules, formatModuleList, type FilesetListing } from './list.js'
