import type { z } from '../util/zod.js'
import { configSchema, fileInputSchema, type Config } from './schema.js'
import { formatIssue, formatIssues } from '../options/format-issues.js'
import { knownKeysAt } from '../options/suggest-key.js'
import { LogshipError } from '../errors.js'
import { checkConfig } from './check.js'
import { expandModules } from '../tail/modules/expand.js'

/** A problem found after the schema, at a key path. */
export interface ConfigProblem {
  path: (string | number)[]
  message: string
}

/** A config that cannot be used: one line per problem, each with its place in the file. */
export class ConfigError extends LogshipError {
  readonly problems: readonly string[]
  constructor(file: string, problems: readonly string[]) {
    super('LOGSHIP_ERR_CONFIG', problems.length === 1 ? `${file}: ${problems[0]}` : `${file} has ${problems.length} problems:\n  - ${problems.join('\n  - ')}`)
    this.name = 'ConfigError'
    this.problems = problems
  }
}

/** Where a config came from: its name in messages and, for a file, where each key is written. */
export interface ConfigSource {
  /** The file, or the command whose flags made the config (`logship pipe`). */
  readonly name: string
  /** `line N: ` for the value at `path` (or the key `key` inside it); '' when the source has no lines. */
  lineTag(path: readonly (string | number)[], key?: string): string
}

export interface ResolveOptions {
  /** Checks run after the schema, e.g. that each `parser` exists. Return problems with key paths. */
  extraChecks?: (config: Config) => ConfigProblem[]
}

/**
 * The config's front door: every way of giving a config (a YAML file, CLI flags, both) ends
 * here. Turns the plain data into the resolved Config (defaults filled in, tail mode's own
 * included; modules expanded into inputs) or throws one ConfigError naming every problem with
 * its key path, its line when the source has lines, and hints for unknown keys.
 */
export function resolveConfig(raw: unknown, source: ConfigSource, options: ResolveOptions = {}): Config {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(source.name, [
      'expected a mapping at the top, such as:\n      inputs: [{ type: file, paths: [/var/log/app/*.log] }]\n      output: { type: file, path: ./out.ndjson }',
    ])
  }
  const parsed = configSchema.safeParse(raw, { reportInput: true })
  if (!parsed.success) throw new ConfigError(source.name, schemaProblems(parsed.error.issues, source, raw))
  const config = parsed.data
  const moduleProblems = addModuleInputs(config)
  if (moduleProblems.length > 0)
    throw new ConfigError(
      source.name,
      moduleProblems.map((p) => `${source.lineTag(p.path)}${p.message}`),
    )
  const later = [...checkConfig(config), ...(options.extraChecks?.(config) ?? [])]
  if (later.length > 0) {
    throw new ConfigError(
      source.name,
      later.map((p) => `${source.lineTag(p.path)}${pathText(p.path)}: ${p.message}`),
    )
  }
  return config
}

/** One line per problem, tagged with its line; an unknown key gets a hint in the YAML spelling (`suggest-key.ts`). */
function schemaProblems(issues: readonly z.core.$ZodIssue[], source: ConfigSource, raw: unknown): string[] {
  const knownKeys = (path: readonly PropertyKey[]) => knownKeysAt(configSchema, path, raw)
  return issues.flatMap((issue) => {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))
    return formatIssue(issue, { knownKeys, dialect: 'yaml' }).map((line) => `${source.lineTag(path, line.key)}${line.text}`)
  })
}

function pathText(path: readonly (string | number)[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '')
}

/**
 * A `modules:` entry is sugar for file inputs with a parser: they are added after the
 * written `inputs`, checked by the same file-input schema (problems name the module entry).
 */
function addModuleInputs(config: Config): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  config.modules?.forEach((entry, i) => {
    for (const input of expandModules([entry])) {
      const parsed = fileInputSchema.safeParse(input, { reportInput: true })
      // a fileset given a format string through `input.parser` is named by that, not by [object Object]
      const parser = typeof input.parser === 'string' ? input.parser : 'logFormat'
      if (parsed.success) config.inputs.push(parsed.data)
      else {
        const context = { base: `modules[${i}](${parser})`, knownKeys: (path: readonly PropertyKey[]) => knownKeysAt(fileInputSchema, path, input), dialect: 'yaml' as const }
        problems.push(...formatIssues(parsed.error.issues, context).map((message) => ({ path: ['modules', i], message })))
      }
    }
  })
  if (config.inputs.length === 0) problems.push({ path: [], message: '(top level): expected at least one input (inputs: [...]) or module (modules: [...])' })
  return problems
}
