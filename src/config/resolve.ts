import type { z } from '../util/zod.js'
import { configSchema, fileInputSchema, stdinInputSchema, registrySchema, multilineSchema, type Config } from './schema.js'
import { formatIssues } from '../options/format-issues.js'
import { LogshipError } from '../errors.js'
import { checkConfig } from './check.js'
import { suggestKey } from './key-hints.js'
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
 * its key path, its line when the source has lines, and near-miss hints for unknown keys.
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

function schemaProblems(issues: readonly z.core.$ZodIssue[], source: ConfigSource, raw: unknown): string[] {
  const texts = formatIssues(issues)
  return issues.map((issue, i) => {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))
    const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined
    return `${source.lineTag(path, key)}${texts[i]!.replace(/^\(options\)/, '(top level)')}${issue.code === 'unrecognized_keys' ? keyHints(issue.keys, path, raw) : ''}`
  })
}

/** ` (did you mean ...?)` for unknown keys of the tail-mode parts of the config (inputs, registry, the top level). */
function keyHints(keys: readonly string[], path: readonly (string | number)[], raw: unknown): string {
  const allowed = allowedKeysAt(path, raw)
  if (!allowed) return ''
  const hints = keys.flatMap((k) => {
    const hint = suggestKey(k, allowed)
    if (hint === undefined) return []
    if (hint.startsWith('(')) return [`"${k}": ${hint.slice(1, -1)}`]
    const [name, ...note] = hint.split(' ')
    return [`did you mean "${name}"${note.length > 0 ? ` ${note.join(' ')}` : ''}?`]
  })
  return hints.length === 0 ? '' : ` (${hints.join('; ')})`
}

function allowedKeysAt(path: readonly (string | number)[], raw: unknown): string[] | undefined {
  if (path.length === 0) return Object.keys(configSchema.shape)
  if (path.length === 1 && path[0] === 'registry') return Object.keys(registrySchema.unwrap().shape)
  if (path[0] !== 'inputs' || typeof path[1] !== 'number') return undefined
  const input = (raw as { inputs?: { type?: unknown }[] }).inputs?.[path[1]]
  if (path.length === 2) return Object.keys(input?.type === 'stdin' ? stdinInputSchema.shape : fileInputSchema.shape)
  if (path.length === 3 && path[2] === 'multiline') return Object.keys(multilineSchema.shape)
  return undefined
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
      else problems.push(...formatIssues(parsed.error.issues, `modules[${i}](${parser})`).map((message) => ({ path: ['modules', i], message })))
    }
  })
  if (config.inputs.length === 0) problems.push({ path: [], message: '(top level): expected at least one input (inputs: [...]) or module (modules: [...])' })
  return problems
}
