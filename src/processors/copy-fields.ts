import type { ProcessorDefinition } from './types.js'
import { compileMove, moveSchema } from './move-fields.js'

export const copyFields: ProcessorDefinition<typeof moveSchema> = {
  schema: moveSchema,
  compile: (o) => compileMove(o, true),
}
