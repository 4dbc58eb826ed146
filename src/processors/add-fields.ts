import { z } from '../util/zod.js'
import { fieldPath, getField, isObject, mergeInto, setField } from './fields.js'
import { ProcessorFailure, type ProcessorDefinition } from './types.js'
import { lazySchema } from '../util/lazy-schema.js'

const schema = lazySchema(() =>
  z.strictObject({
    /** Where the fields go; '' puts them at the top of the event. @default 'fields' (as in Filebeat) */
    target: z.string('expected a field name, or "" for the top level').default('fields'),
    fields: z.record(z.string(), z.unknown(), 'expected an object such as { env: production }').refine((f) => Object.keys(f).length > 0, 'expected at least one field'),
  }),
)

/** Adds fixed fields (a copy each time: later processors may change them). Existing values are replaced; objects are merged. */
export const addFields: ProcessorDefinition<typeof schema> = {
  schema,
  compile(o) {
    const fields = o.fields
    if (o.target === '') return (event) => (mergeInto(event, fields), true)
    const path = fieldPath(o.target)
    return (event) => {
      let at = getField(event, path)
      if (at === undefined) {
        at = {}
        setField(event, path, at)
      } else if (!isObject(at)) {
        throw new ProcessorFailure(`${o.target} is not an object`)
      }
      mergeInto(at as Record<string, unknown>, fields)
      return true
    }
  },
}
