import { readFileSync } from 'node:fs'
import { parseDocument, LineCounter, isMap, isPair, isScalar, type Document, type Node } from 'yaml'
import type { z } from 'zod'
import { configSchema, type Config } from './schema.js'
import { expandEnv } from './env.js'
import { formatIssues } from '../options/format-issues.js'
import { LogshipError, describeError } from '../errors.js'
import { checkConfig } from './check.js'
import { fileInputSchema, stdinInputSchema, registrySchema, multilineSchema } from './schema.js'
import { suggestKey } from './key-hints.js'
import { expandModules } from '../tail/modules/expand.js'
import { join } from 'node:path'
import { defaultStateDir } from './state-dir.js'

/** A config that cannot be used: one line per problem, each with its place in the file. */
export class ConfigError extends LogshipError {
  readonly problems: readonly string[]
  constructor(file: string, problems: readonly string[]) {
    super('LOGSHIP_ERR_CONFIG', problems.length === 1 ? `${file}: ${problems[0]}` : `${file} has ${problems.length} problems:\n  - ${problems.join('\n  - ')}`)
    this.name = 'ConfigError'
    this.problems = problems
  }
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv
  /** Checks run after the schema, e.g. that each `parser` exists. Return problems with key paths. */
  extraChecks?: (config: Config) => { path: (string | number)[]; message: string }[]
}

/** Reads, expands and validates a YAML config file; throws a ConfigError naming every problem. */
export function loadConfigFile(file: string, options: LoadOptions = {}): Config {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new ConfigError(file, [`cannot read the config file: ${describeError(err)}`])
  }
  return parseConfigText(text, file, options)
}

/** Same as loadConfigFile, from text (`file` names it in messages). */
export function parseConfigText(text: string, file: string, options: LoadOptions = {}): Config {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true })
  const lineOf = (offset: number): number => lines.linePos(offset).line
  if (doc.errors.length > 0) {
    const sourceLines = text.split('\n')
    const problems = doc.errors.map((e) => {
      const line = lineOf(e.pos[0])
      const hint = sourceLines[line - 1]?.includes('${') ? ' (inside [ ] or { }, quote values that hold ${...})' : ''
      return `line ${line}: this is not valid YAML: ${e.message.split('\n')[0]}${hint}`
    })
    throw new ConfigError(file, [...new Set(problems)])
  }
  const envProblems = expandEnv(doc, options.env ?? process.env)
  if (envProblems.length > 0)
    throw new ConfigError(
      file,
      envProblems.map((p) => `line ${lineOf(p.at)}: ${p.message}`),
    )

  const raw: unknown = doc.toJS()
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(file, [
      'expected a mapping at the top, such as:\n      inputs: [{ type: file, paths: [/var/log/app/*.log] }]\n      output: { type: file, path: ./out.ndjson }',
    ])
  }
  const parsed = configSchema.safeParse(raw, { reportInput: true })
  if (!parsed.success) throw new ConfigError(file, withLines(parsed.error.issues, doc, lineOf, raw))
  const config = withTailDefaults(parsed.data, raw as Record<string, unknown>)
  const moduleProblems = addModuleInputs(config)
  if (moduleProblems.length > 0)
    throw new ConfigError(
      file,
      moduleProblems.map((p) => `${lineTag(doc, p.path, lineOf)}${p.message}`),
    )
  const later = [...checkConfig(config, raw as Record<string, unknown>), ...(options.extraChecks?.(config) ?? [])]
  if (later.length > 0) {
    throw new ConfigError(
      file,
      later.map((p) => `${lineTag(doc, p.path, lineOf)}${pathText(p.path)}: ${p.message}`),
    )
  }
  return config
}

function withLines(issues: readonly z.core.$ZodIssue[], doc: Document, lineOf: (offset: number) => number, raw: unknown): string[] {
  const texts = formatIssues(issues)
  return issues.map((issue, i) => {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))
    const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined
    return `${lineTag(doc, path, lineOf, key)}${texts[i]!.replace(/^\(options\)/, '(top level)')}${issue.code === 'unrecognized_keys' ? keyHints(issue.keys, path, raw) : ''}`
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

/** `line N: ` for the node at `path` (or the key `key` inside it, or the closest parent that exists). */
function lineTag(doc: Document, path: readonly (string | number)[], lineOf: (offset: number) => number, key?: string): string {
  if (key !== undefined) {
    const map = doc.getIn(path, true)
    if (isMap(map)) {
      const pair = map.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key)
      const range = pair && isScalar(pair.key) ? pair.key.range : undefined
      if (range) return `line ${lineOf(range[0])}: `
    }
  }
  for (let n = path.length; n >= 0; n--) {
    const node = (n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true)) as Node | null | undefined
    const range = node?.range
    if (range) return `line ${lineOf(range[0])}: `
  }
  return ''
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
export function addModuleInputs(config: Config): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = []
  config.modules?.forEach((entry, i) => {
    for (const input of expandModules([entry])) {
      const parsed = fileInputSchema.safeParse(input, { reportInput: true })
      if (parsed.success) config.inputs.push(parsed.data)
      else
        problems.push(
          ...formatIssues(parsed.error.issues, `modules[${i}](${typeof input.parser === 'string' ? input.parser : 'logFormat'})`).map((message) => ({
            path: ['modules', i],
            message,
          })),
        )
    }
  })
  if (config.inputs.length === 0) problems.push({ path: [], message: '(top level): expected at least one input (inputs: [...]) or module (modules: [...])' })
  return problems
}

/** Tail mode's queue default: the file is the buffer, so a small queue is enough. */
export const TAIL_QUEUE_BYTES = 8 * 1024 * 1024

/** Tail mode always blocks, and its queue is 8mb unless the config says otherwise. */
export function withTailDefaults(config: Config, raw: Record<string, unknown>): Config {
  const written = (raw.queue as Record<string, unknown> | undefined)?.maxBytes
  // the CLI's spill lives in the state directory, never in the working directory
  const spill = { ...config.queue.spill, dir: config.queue.spill.dir ?? join(defaultStateDir(), 'spill') }
  return { ...config, queue: { ...config.queue, spill, whenFull: 'block', maxBytes: written === undefined ? TAIL_QUEUE_BYTES : config.queue.maxBytes } }
}
