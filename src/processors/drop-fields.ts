import { z } from '../util/zod.js'
import { deleteField, fieldPath } from './fields.js'
import { ProcessorFailure, type ProcessorDefinition } from './types.js'
import { lazySchema } from '../util/lazy-schema.js'

const schema = lazySchema(() =>
  z.strictObject({
    fields: z
      .array(z.string('expected a field name').min(1, 'expected a field name'), "expected a list of field names such as ['agent', 'ecs']")
      .min(1, 'expected at least one field')
      .refine((f) => !f.includes('@timestamp'), '@timestamp cannot be dropped (every document needs one)')
      .refine((f) => !f.some((n) => n.startsWith('/') && n.endsWith('/') && n.length > 1), 'regular expressions (/.../) are not supported here; name each field'),
    /** false: an event without one of the fields fails (as in Filebeat). @default false */
    ignoreMissing: z.boolean('expected true or false').default(false),
  }),
)

export const dropFields: ProcessorDefinition<typeof schema> = {
  schema,
  compile(o) {
    const paths = o.fields.map(fieldPath)
    return (event) => {
      let missing: string | undefined
      for (let i = 0; i < paths.length; i++) if (!deleteField(event, paths[i]!)) missing ??= o.fields[i]
      if (missing !== undefined && !o.ignoreMissing) throw new ProcessorFailure(`field ${missing} is missing (set ignoreMissing: true to allow it)`)
      return true
    }
  },
}
