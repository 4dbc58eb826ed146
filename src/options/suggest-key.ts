import type { z } from '../util/zod.js'

/**
 * The one owner of "unknown key → hint", for both front doors: the library's options
 * (`createShipper({...})`, JavaScript objects) and the CLI's YAML config. Where the two spell a
 * setting differently (an object literal, a duration), each is told its own spelling.
 */
export type KeyDialect = 'options' | 'yaml'

/** Words that differ between the two front doors. */
type Text = string | { readonly options: string; readonly yaml: string }

/** A name another tool uses (pino-elasticsearch, Filebeat) for something logship calls otherwise. */
interface ForeignKey {
  /** logship's keys for it; the first one allowed where the unknown key stands is suggested. */
  readonly keys?: readonly string[]
  /** Said after the suggestion, in brackets. */
  readonly note?: Text
  /** Said when none of `keys` is allowed there: where the setting lives in logship, or what to do instead. */
  readonly otherwise?: Text
}

/** `this is batch.flushMs in logship (...)`: a top-level setting, in each front door's spelling. */
const topLevel = (section: string, key: string): Text => ({
  options: `this is ${section}.${key} in logship (a top-level option: { ${section}: { ${key} } })`,
  yaml: `this is ${section}.${key} in logship (at the top level: ${section}: { ${key} })`,
})
/** An output written Filebeat's way (`output.elasticsearch:`). */
const outputOf = (type: string, rest: string): ForeignKey => ({
  keys: ['output'],
  note: { options: `output: { type: '${type}', ${rest} }`, yaml: `output: { type: ${type}, ${rest} }` },
})
/** Tail-mode durations (YAML only) take `5m`; the library's take whole milliseconds. */
const TAIL_DURATION: Text = { options: 'whole milliseconds', yaml: 'a duration such as 5m' }
const OP_TYPE = 'logship always writes with create: keep dataStream: true (the default) for a data stream, or set idempotent: true'
const ES_VERSION = 'not needed: logship asks the cluster for its version before the first request'

const FOREIGN_KEYS: Record<string, ForeignKey> = {
  // pino-elasticsearch
  node: { keys: ['hosts'], note: "pino-elasticsearch's node is output.hosts here: a list of URLs", otherwise: 'this is output.hosts in logship (a list of URLs)' },
  nodes: { keys: ['hosts'], note: "pino-elasticsearch's nodes is output.hosts here", otherwise: 'this is output.hosts in logship (a list of URLs)' },
  op_type: { otherwise: OP_TYPE },
  opType: { otherwise: OP_TYPE },
  esVersion: { otherwise: ES_VERSION },
  'es-version': { otherwise: ES_VERSION },
  flushInterval: { keys: ['flushMs'], otherwise: topLevel('batch', 'flushMs') },
  flushBytes: { otherwise: topLevel('batch', 'maxBytes') },
  // Filebeat's outputs
  bulk_max_size: { keys: ['bulkMaxSize', 'maxEvents'], otherwise: topLevel('batch', 'maxEvents') },
  flush_interval: { keys: ['flushMs'], otherwise: topLevel('batch', 'flushMs') },
  max_retries: { keys: ['maxRetries'], otherwise: topLevel('retry', 'maxRetries') },
  api_key: { keys: ['apiKey'], otherwise: 'this is output.auth.apiKey in logship' },
  username: { otherwise: 'this is output.auth.username in logship' },
  password: { otherwise: 'this is output.auth.password in logship' },
  ssl: { keys: ['tls'], note: '{ ca, cert, key, rejectUnauthorized }', otherwise: 'this is output.tls in logship ({ ca, cert, key, rejectUnauthorized })' },
  worker: { keys: ['workers', 'maxInFlight'], otherwise: 'this is the output\'s maxInFlight in logship ("workers" for the logstash output)' },
  compression_level: { keys: ['compressionLevel', 'compression'], otherwise: 'this is the output\'s compression in logship ("compressionLevel" for the logstash output)' },
  timeout: { keys: ['timeoutMs'], note: 'durations are in milliseconds', otherwise: "this is the output's timeoutMs in logship (in milliseconds)" },
  loadbalance: { keys: ['loadBalance'], otherwise: 'this is loadBalance of the logstash output in logship' },
  'output.elasticsearch': outputOf('elasticsearch', 'hosts: [...]'),
  'output.logstash': outputOf('logstash', 'hosts: [...]'),
  'output.redis': outputOf('redis', 'url, key'),
  // Filebeat's inputs and top level (tail mode)
  'filebeat.inputs': { keys: ['inputs'] },
  close_inactive: { keys: ['closeInactiveMs'], note: TAIL_DURATION, otherwise: "this is a file input's closeInactiveMs in logship" },
  'close.on_state_change.inactive': { keys: ['closeInactiveMs'], note: TAIL_DURATION, otherwise: "this is a file input's closeInactiveMs in logship" },
  close_timeout: {
    keys: ['closeInactiveMs', 'shutdownTimeoutMs', 'closeTimeoutMs'],
    note: TAIL_DURATION,
    otherwise: {
      options: 'this is closeTimeoutMs in logship (a top-level option)',
      yaml: "this is shutdownTimeoutMs at the top level, or a file input's closeInactiveMs, in logship",
    },
  },
  shutdown_timeout: {
    keys: ['shutdownTimeoutMs', 'closeTimeoutMs'],
    note: TAIL_DURATION,
    otherwise: { options: 'this is closeTimeoutMs in logship (a top-level option)', yaml: 'this is shutdownTimeoutMs in logship (at the top level)' },
  },
  ignore_older: { keys: ['ignoreOlderMs'], note: 'a duration such as 24h', otherwise: "this is a file input's ignoreOlderMs in logship" },
  scan_frequency: { keys: ['scanIntervalMs'], note: 'a duration such as 10s', otherwise: "this is a file input's scanIntervalMs in logship" },
  'prospector.scanner.check_interval': { keys: ['scanIntervalMs'], note: 'a duration such as 10s', otherwise: "this is a file input's scanIntervalMs in logship" },
  tail_files: { keys: ['start'], note: 'start: end', otherwise: "this is a file input's start: end in logship" },
  max_bytes: { keys: ['maxLineBytes'], note: 'a size such as 1mb', otherwise: "this is an input's maxLineBytes in logship" },
  message_max_bytes: { keys: ['maxLineBytes'], note: 'a size such as 1mb', otherwise: "this is an input's maxLineBytes in logship" },
  'multiline.pattern': { keys: ['multiline'], note: { options: "multiline: { pattern: '^\\\\S' }", yaml: 'multiline: { pattern }' } },
  'multiline.type': { keys: ['multiline'], note: 'multiline: { pattern, negate, match }' },
  file: { keys: ['path'] },
  'registry.file': { keys: ['registry'], note: 'registry: { path }' },
  'registry.path': { keys: ['registry'], note: 'registry: { path }' },
  id: { otherwise: { options: 'remove it (logship has no id setting)', yaml: 'remove it (logship inputs have no id)' } },
  enabled: { otherwise: { options: 'remove it (to ship nothing, do not create the shipper)', yaml: 'remove it (to turn an input off, leave it out)' } },
  close_removed: { otherwise: 'remove it (a deleted file is read to its end and closed)' },
  close_renamed: { otherwise: 'remove it (a renamed file is read to its end)' },
}

const inDialect = (text: Text, dialect: KeyDialect): string => (typeof text === 'string' ? text : text[dialect])
const didYouMean = (key: string, note?: string): string => `did you mean "${key}"?${note ? ` (${note})` : ''}`

/**
 * A hint for the unknown `key` among the keys `known` where it stands (undefined when not known):
 * a snake_case or kebab-case spelling, another tool's name, a forgotten `Ms`, or a near miss.
 * Undefined when nothing is close.
 */
export function suggestKey(key: string, known: readonly string[] | undefined, dialect: KeyDialect = 'options'): string | undefined {
  const camel = key.replace(/[_-]([a-z0-9])/g, (_, c: string) => c.toUpperCase())
  if (known?.includes(camel) && camel !== key) return didYouMean(camel, 'keys are camelCase')
  if (Object.hasOwn(FOREIGN_KEYS, key)) {
    const foreign = FOREIGN_KEYS[key]!
    const here = foreign.keys?.find((k) => known?.includes(k))
    if (here !== undefined) return didYouMean(here, foreign.note === undefined ? undefined : inDialect(foreign.note, dialect))
    if (foreign.otherwise !== undefined) return inDialect(foreign.otherwise, dialect)
  }
  if (!known) return undefined
  // `closeInactive` for `closeInactiveMs`: the unit left out
  if (known.includes(`${camel}Ms`)) return didYouMean(`${camel}Ms`, 'durations end in Ms')
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase())
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  // a near miss: a typo or two, not a different word
  return best !== undefined && bestDistance <= Math.max(1, Math.min(3, Math.floor(key.length / 4))) ? didYouMean(best) : undefined
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    prev = row
  }
  return prev[b.length]!
}

interface Def {
  type: string
  innerType?: z.ZodType
  in?: z.ZodType
  element?: z.ZodType
  shape?: Record<string, z.ZodType>
  options?: z.ZodType[]
  discriminator?: string
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def

/**
 * The keys an object schema allows at `path`, following what the user wrote (`input`) into
 * lists and discriminated unions (the output's `type`, an input's `type`, a module's `module`).
 * Undefined when the path leads elsewhere.
 */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[], input: unknown): string[] | undefined {
  let def = defOf(schema)
  while (def.type === 'default' || def.type === 'optional' || def.type === 'prefault' || def.type === 'nullable' || def.type === 'pipe') {
    def = defOf((def.type === 'pipe' ? def.in : def.innerType)!)
  }
  if (def.type === 'union' && def.discriminator) {
    const wanted = (input as Record<string, unknown> | undefined)?.[def.discriminator]
    const option = def.options!.find((o) => (defOf(defOf(o).shape![def.discriminator!]!) as unknown as { values: unknown[] }).values.includes(wanted))
    return option ? knownKeysAt(option, path, input) : undefined
  }
  const [head, ...rest] = path
  if (def.type === 'array') return typeof head === 'number' ? knownKeysAt(def.element!, rest, (input as unknown[] | undefined)?.[head]) : undefined
  if (def.type !== 'object') return undefined
  if (path.length === 0) return Object.keys(def.shape!)
  const child = def.shape![String(head)]
  return child ? knownKeysAt(child, rest, (input as Record<string, unknown> | undefined)?.[String(head)]) : undefined
}
