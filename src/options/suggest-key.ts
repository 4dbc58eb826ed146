import type { z } from '../util/zod.js'

/**
 * Names other tools use for what logship calls something else: pino-elasticsearch's
 * options and Filebeat's (snake_case) settings. The hint says where the setting lives here.
 */
const OTHER_TOOLS: Record<string, string> = {
  // pino-elasticsearch
  node: 'did you mean "hosts"? (pino-elasticsearch\'s node is output.hosts here: a list of URLs)',
  nodes: 'did you mean "hosts"? (pino-elasticsearch\'s nodes is output.hosts here)',
  op_type: 'logship always writes with create: keep dataStream: true (the default) for a data stream, or set idempotent: true',
  opType: 'logship always writes with create: keep dataStream: true (the default) for a data stream, or set idempotent: true',
  esVersion: 'not needed: logship asks the cluster for its version before the first request',
  'es-version': 'not needed: logship asks the cluster for its version before the first request',
  flushInterval: 'this is batch.flushMs in logship (a top-level option: { batch: { flushMs } })',
  flushBytes: 'this is batch.maxBytes in logship (a top-level option: { batch: { maxBytes } })',
  // Filebeat
  bulk_max_size: 'this is batch.maxEvents in logship (bulkMaxSize for the logstash output)',
  flush_interval: 'this is batch.flushMs in logship',
  max_retries: 'this is retry.maxRetries in logship',
  api_key: 'this is output.auth.apiKey in logship',
  username: 'this is output.auth.username in logship',
  password: 'this is output.auth.password in logship',
  ssl: 'this is output.tls in logship ({ ca, cert, key, rejectUnauthorized })',
  worker: 'this is maxInFlight in logship (workers for the logstash output)',
  compression_level: 'this is compression in logship (compressionLevel for the logstash output)',
  timeout: 'did you mean "timeoutMs"? (durations are in milliseconds)',
  close_timeout: 'this is closeTimeoutMs in logship (a top-level option)',
  loadbalance: 'did you mean "loadBalance"? (logstash output)',
}

/** A hint for an unknown key: another tool's name, a snake_case spelling, or a near miss among `known`. */
export function suggestKey(key: string, known: readonly string[] | undefined): string | undefined {
  const camel = key.replace(/[_-]([a-z0-9])/g, (_, c: string) => c.toUpperCase())
  if (known?.includes(camel) && camel !== key) return `did you mean "${camel}"? (keys are camelCase)`
  if (Object.hasOwn(OTHER_TOOLS, key)) return OTHER_TOOLS[key]
  if (!known) return undefined
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
  return best !== undefined && bestDistance <= Math.max(1, Math.min(3, Math.floor(key.length / 4))) ? `did you mean "${best}"?` : undefined
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
  shape?: Record<string, z.ZodType>
  options?: z.ZodType[]
  discriminator?: string
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def

/**
 * The keys an object schema allows at `path`, following what the user wrote (`input`) into
 * discriminated unions (the output's `type`). Undefined when the path leads elsewhere.
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
  if (def.type !== 'object') return undefined
  if (path.length === 0) return Object.keys(def.shape!)
  const [head, ...rest] = path
  const child = def.shape![String(head)]
  return child ? knownKeysAt(child, rest, (input as Record<string, unknown> | undefined)?.[String(head)]) : undefined
}
