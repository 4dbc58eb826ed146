import { z } from '../util/zod.js'
import type { ProcessorDefinition } from './types.js'
import { lazySchema } from '../util/lazy-schema.js'

/** No options of its own: its `when` says which events go (without one, every event goes). */
const schema = lazySchema(() => z.strictObject({}))

export const dropEvent: ProcessorDefinition<typeof schema> = {
  schema,
  compile: () => () => false,
}
