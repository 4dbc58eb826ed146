import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseDocument, visit, LineCounter, isMap, isPair, isScalar, type Document, type Node } from 'yaml'
import type { Config } from './schema.js'
import { expandEnv } from './env.js'
import { describeError } from '../errors.js'
import { ConfigError, resolveConfig, type ConfigSource, type ResolveOptions } from './resolve.js'

export { ConfigError }

export interface LoadOptions extends ResolveOptions {
  env?: NodeJS.ProcessEnv
}

/** Reads, expands and validates a YAML config file; throws a ConfigError naming every problem. */
export function loadConfigFile(file: string, options: LoadOptions = {}): Config {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new ConfigError(file, [unreadable(file, err)])
  }
  return parseConfigText(text, file, options)
}

/** Why the config file cannot be read, and what to do. */
function unreadable(file: string, err: unknown): string {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'EISDIR':
      return `is a directory; give the YAML config file, such as ${join(file, 'logship.yml')}`
    case 'ENOENT':
      return `no such file; check the path (a relative path is read from ${process.cwd()})`
    case 'ELOOP':
      return 'its symbolic links make a loop; point -c at the real file'
    case 'EACCES':
      return `this user (uid ${process.getuid?.() ?? '?'}) may not read it; run logship as a user who may, or fix its permissions`
    default:
      return `cannot read the config file: ${describeError(err)}`
  }
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
  const cycles = aliasCycles(doc, lineOf)
  if (cycles.length > 0) throw new ConfigError(file, cycles)
  let raw: unknown
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (err) {
    // yaml refuses to expand past maxAliasCount ("billion laughs"): say so in our words
    if (!(err instanceof ReferenceError)) throw err
    throw new ConfigError(file, [
      `its YAML aliases (*name) expand to too much (more than ${MAX_ALIAS_COUNT} expansions, as in an "alias bomb"); write the values out, or use fewer nested aliases`,
    ])
  }
  if (raw === null || raw === undefined) {
    throw new ConfigError(file, [
      'the file holds no settings; write at least:\n      inputs: [{ type: file, paths: [/var/log/app/*.log] }]\n      output: { type: file, path: ./out.ndjson }',
    ])
  }
  const source: ConfigSource = { name: file, lineTag: (path, key) => lineTag(doc, path, lineOf, key) }
  return resolveConfig(raw, source, options)
}

/** How many alias expansions a config may need (yaml's own default): ordinary sharing of a few blocks stays far below. */
const MAX_ALIAS_COUNT = 100

/**
 * Aliases inside the node their anchor names (`inputs: &all [{ fields: { again: *all } }]`):
 * yaml turns them into a JS object that contains itself, which every later step (the schema,
 * JSON documents, printing the config) would walk for ever.
 */
function aliasCycles(doc: Document, lineOf: (offset: number) => number): string[] {
  const problems: string[] = []
  visit(doc, {
    Alias(_key, alias, path) {
      const target = alias.resolve(doc)
      if (target === undefined || !path.includes(target)) return
      problems.push(
        `line ${lineOf(alias.range?.[0] ?? 0)}: the alias *${alias.source} is inside the node it names (&${alias.source}): a config cannot contain itself; write the values out instead`,
      )
    },
  })
  return problems
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
