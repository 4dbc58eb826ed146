import { z } from 'zod'
import type { Output } from './output.js'
import { redisOutputSchema, createRedisOutput } from './redis/index.js'
import { httpOutputSchema, createHttpOutput } from './http.js'
import { consoleOutputSchema, createConsoleOutput } from './console.js'
import { fileOutputSchema, createFileOutput } from './file.js'
import { elasticsearchOutputSchema } from './elasticsearch/options.js'
import { createElasticsearchOutput } from './elasticsearch/output.js'
import { logstashOutputSchema, createLogstashOutput } from './logstash/index.js'

/**
 * Every output type: its options schema (a strict object with a literal `type`) and the
 * factory that builds it from validated options. Outputs are created where the engine runs
 * (the worker thread by default), so options must be plain data.
 */
interface OutputDefinition {
  readonly schema: z.ZodObject<{ type: z.ZodLiteral<string> } & z.ZodRawShape>
  create(options: never): Output
}

const definitions = [
  { schema: redisOutputSchema, create: createRedisOutput },
  { schema: httpOutputSchema, create: createHttpOutput },
  { schema: consoleOutputSchema, create: createConsoleOutput },
  { schema: fileOutputSchema, create: createFileOutput },
  { schema: elasticsearchOutputSchema, create: createElasticsearchOutput },
  { schema: logstashOutputSchema, create: createLogstashOutput },
] as const satisfies readonly OutputDefinition[]

export const outputOptionsSchema = z.discriminatedUnion('type', [
  httpOutputSchema,
  consoleOutputSchema,
  fileOutputSchema,
  elasticsearchOutputSchema,
  logstashOutputSchema,
  redisOutputSchema,
])

/** Output types that implement `storeDeadLetters` (for `deadLetter.index`). */
const DEAD_LETTER_INDEX_TYPES: ReadonlySet<string> = new Set<string>(['elasticsearch'])

export function canStoreDeadLetters(type: string): boolean {
  return DEAD_LETTER_INDEX_TYPES.has(type)
}

export type OutputOptions = z.output<typeof outputOptionsSchema>

export function createOutput(options: OutputOptions): Output {
  for (const def of definitions) {
    if (def.schema.shape.type.value === options.type) return (def.create as (o: OutputOptions) => Output)(options)
  }
  throw new Error(`no output of type ${options.type}`)
}
