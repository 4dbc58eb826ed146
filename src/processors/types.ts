import type { z } from '../util/zod.js'

/** One event as processors see it: the parsed document, changed in place. */
export type ProcessorEvent = Record<string, unknown>

/** A compiled processor: changes the event in place; false drops it. Throws ProcessorFailure when it cannot do its job on this event. */
export type Step = (event: ProcessorEvent) => boolean

/** A compiled condition (`when`, `drop_event`). */
export type Predicate = (event: ProcessorEvent) => boolean

/** What the registry knows about one processor: its options (zod, strict) and how to turn them into a Step, once. */
export interface ProcessorDefinition<S extends z.ZodType = z.ZodType> {
  readonly schema: S
  compile(options: z.output<S>): Step
}

/** The processor could not do its job on this event (the event is tagged and shipped). */
export class ProcessorFailure extends Error {}

/**
 * A config problem found while compiling (beyond what the schema checks): `path` is where it
 * is, below the processor's options (e.g. ['tokenizer'], ['when', 'and', 0, 'regexp', 'a']).
 */
export class ProcessorConfigProblem extends Error {
  constructor(
    readonly path: readonly PropertyKey[],
    message: string,
  ) {
    super(message)
  }
}
