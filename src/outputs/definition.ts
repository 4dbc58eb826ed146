import type { z } from '../util/zod.js'
import type { Output } from './output.js'

/** An output's options schema: a strict object whose `type` is a literal. */
export type OutputSchema = z.ZodObject<{ type: z.ZodLiteral<string> } & z.ZodRawShape>

/**
 * Everything logship knows about one output type, in one place. The schema is built on
 * first validation (a lazySchema, on the app's thread); the implementation is loaded only
 * when used — the implementation where the engine runs, and only for the
 * configured type — so that `import 'logship'` does not pay for undici, ioredis, protobufjs.
 */
export interface OutputDefinition<S extends OutputSchema = OutputSchema> {
  /** The `output.type` value, the schema's literal (written out so that finding a definition does not build its schema). */
  readonly type: S['shape']['type']['value']
  readonly schema: S
  /**
   * The output's name as stats and errors show it, e.g. `http(http://127.0.0.1:8080/ingest)`,
   * known before the implementation loads; the same as the built output's `name`.
   */
  readonly name: (options: z.output<S>) => string
  /** Loads the implementation and returns its factory (options are already validated). */
  readonly load: () => Promise<(options: z.output<S>) => Output>
  /** The output implements `storeDeadLetters`, so `deadLetter.index` may name it. */
  readonly storesDeadLetters: boolean
}

/** An output definition whose `type` is its schema's literal. */
export function defineOutput<S extends OutputSchema>(schema: S, parts: Omit<OutputDefinition<S>, 'schema'>): OutputDefinition<S> {
  return { schema, ...parts }
}
