import { MODULES, MODULE_EXCLUDE_FILES, defaultPaths, type FilesetDefinition, type ModuleName, type MultilineSettings } from './catalogue.js'
import type { ParserName } from './parsers.js'
import type { FilesetConfig, ModuleEntry, ModulesConfig } from './schema.js'

/**
 * A file input made from one module fileset: plain data in tail mode's `inputs[]` shape,
 * to be validated by its file-input schema like a hand-written input.
 */
export interface ModuleFileInput {
  readonly type: 'file'
  readonly paths: readonly string[]
  /** Run this parser on every entry (see `createParser`). */
  readonly parser: ParserName
  /** Compressed rotated copies matched by the `*` in default paths are not read. */
  readonly excludeFiles: readonly string[]
  /** Join lines into entries before parsing (mysql). */
  readonly multiline?: MultilineSettings
  /** Drop entries matching any of these regexes (mysql slow-log banners). */
  readonly excludeLines?: readonly string[]
  /** Zone for times written without an offset; absent means local. */
  readonly timezone?: string
  /** The fileset's `input:` settings, copied last so they win. */
  readonly [setting: string]: unknown
}

export interface ExpandOptions {
  /** Picks the default paths (linux: Debian + RHEL, darwin: Homebrew). @default process.platform */
  platform?: NodeJS.Platform
}

/** The file inputs of one `modules:` entry (validated by `modulesSchema`), in catalogue order. */
function expandModule(entry: ModuleEntry, options: ExpandOptions = {}): ModuleFileInput[] {
  const platform = options.platform ?? process.platform
  const module = MODULES[entry.module as ModuleName] as { filesets: Readonly<Record<string, FilesetDefinition>> }
  const inputs: ModuleFileInput[] = []
  for (const [name, fileset] of Object.entries(module.filesets)) {
    const config = (entry as unknown as Record<string, FilesetConfig | undefined>)[name] ?? { enabled: true }
    if (!config.enabled) continue
    inputs.push({
      type: 'file',
      paths: config.paths ?? defaultPaths(fileset, platform),
      parser: fileset.parser,
      excludeFiles: MODULE_EXCLUDE_FILES,
      ...(fileset.multiline ? { multiline: { ...fileset.multiline } } : {}),
      ...(fileset.excludeLines ? { excludeLines: [...fileset.excludeLines] } : {}),
      ...(config.timezone !== undefined ? { timezone: config.timezone } : {}),
      ...config.input,
    })
  }
  return inputs
}

/** The file inputs of the whole `modules:` section. */
export function expandModules(modules: ModulesConfig, options: ExpandOptions = {}): ModuleFileInput[] {
  return modules.flatMap((entry) => expandModule(entry, options))
}
