import type { ProcessorDefinition } from './types.js'
import { compileMove, moveSchema } from './move-fields.js'

export const rename: ProcessorDefinition<typeof moveSchema> = {
  schema: moveSchema,
  compile: (o) => compileMove(o, false),
}
