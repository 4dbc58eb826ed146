import { z } from '../util/zod.js'
import type { Output } from './output.js'
import { lazySchema } from '../util/lazy-schema.js'
import type { OutputDefinition } from './definition.js'
import { httpOutput } from './http-definition.js'
import { consoleOutput } from './console-definition.js'
import { fileOutput } from './file-definition.js'
import { elasticsearchOutput } from './elasticsearch/definition.js'
import { logstashOutput } from './logstash/definition.js'
import { redisOutput } from './redis/definition.js'
import { otlpOutput } from './otlp/definition.js'
import { lokiOutput } from './loki/definition.js'

/**
 * Every output type, each as the one definition its folder exports. The options union, the
 * dead-letter check and the output loader are derived from this list; adding an output
 * means adding its definition here. Only the schemas (built on first use) come with this module: each
 * implementation is imported when an engine for it starts (the worker thread by default), so
 * options must be plain data.
 */
const definitions = [httpOutput, consoleOutput, fileOutput, elasticsearchOutput, logstashOutput, redisOutput, otlpOutput, lokiOutput] as const

type SchemaOf<D> = D extends { readonly schema: infer S } ? S : never
/** The definitions' schemas as a tuple type, which the discriminated union needs. */
type SchemasOf<T extends readonly unknown[]> = { -readonly [K in keyof T]: SchemaOf<T[K]> }
type Schemas = SchemasOf<typeof definitions>

export const outputOptionsSchema = lazySchema(() => z.discriminatedUnion('type', definitions.map((d) => d.schema) as unknown as Schemas))

export type OutputOptions = z.output<typeof outputOptionsSchema>

function definitionOf(type: string): OutputDefinition | undefined {
  return (definitions as readonly OutputDefinition[]).find((d) => d.type === type)
}

/** Whether the output type implements `storeDeadLetters` (for `deadLetter.index`). */
export function canStoreDeadLetters(type: string): boolean {
  return definitionOf(type)?.storesDeadLetters === true
}

/** The output's name as stats and errors show it, before its implementation is loaded. */
export function outputNameOf(options: OutputOptions): string {
  try {
    return definitionOf(options.type)?.name(options as never) ?? options.type
  } catch {
    return options.type // the output itself will say what is wrong when it starts
  }
}

/**
 * Starts loading a type's implementation before its options arrive (the worker, while the app
 * thread checks them); loadOutput then finds it loaded. An unknown type or a failing load is
 * left for loadOutput to report.
 */
export function preloadOutput(type: string): void {
  definitionOf(type)
    ?.load()
    .catch(() => undefined)
}

/** Loads the configured output's implementation and builds it from validated options. */
export async function loadOutput(options: OutputOptions): Promise<Output> {
  const definition = definitionOf(options.type)
  if (!definition) throw new Error(`no output of type ${options.type}`)
  const create = await definition.load()
  return create(options as never)
}
