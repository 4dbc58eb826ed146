import { z } from '../util/zod.js'
import { fieldPath, getField, setField } from './fields.js'
import type { ProcessorDefinition } from './types.js'
import { lazySchema } from '../util/lazy-schema.js'

const schema = lazySchema(() =>
  z.strictObject({
    fields: z
      .array(z.string('expected a field name').min(1, 'expected a field name'), "expected a list of field names such as ['message', 'http']")
      .min(1, 'expected at least one field'),
  }),
)

/** Keeps only the listed fields; `@timestamp` and `@metadata` (the document id) always stay. */
export const includeFields: ProcessorDefinition<typeof schema> = {
  schema,
  compile(o) {
    const paths = [...new Set(['@timestamp', '@metadata', ...o.fields])].map(fieldPath)
    return (event) => {
      const kept: [readonly string[], unknown][] = []
      for (const p of paths) {
        const value = getField(event, p)
        if (value !== undefined) kept.push([p, value])
      }
      for (const key of Object.keys(event)) delete event[key]
      for (const [p, value] of kept) setField(event, p, value)
      return true
    }
  },
}
