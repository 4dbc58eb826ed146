import { z } from 'zod'
import type { ProcessorDefinition } from './types.js'

/** No options of its own: its `when` says which events go (without one, every event goes). */
const schema = z.strictObject({})

export const dropEvent: ProcessorDefinition<typeof schema> = {
  schema,
  compile: () => () => false,
}
