import { z } from '../util/zod.js'
import { fieldPath, getField, isObject, mergeInto, setField } from './fields.js'
import { ProcessorFailure, type ProcessorDefinition } from './types.js'
import { lazySchema } from '../util/lazy-schema.js'

const schema = lazySchema(() =>
  z.strictObject({
    fields: z.array(z.string('expected a field name').min(1, 'expected a field name'), "expected a list of field names such as ['message']").min(1, 'expected at least one field'),
    /** true: JSON arrays are decoded too (otherwise only objects). @default false */
    processArray: z.boolean('expected true or false').default(false),
    /** How deep strings holding JSON are decoded again inside the decoded value. @default 1 */
    maxDepth: z.number('expected a whole number').int('expected a whole number').min(1, 'expected 1 or more').default(1),
    /** Where the decoded value goes: unset replaces the field itself; '' merges it into the top of the event. */
    target: z.string('expected a field name, or "" for the top level').optional(),
    /** With target: '', whether decoded keys replace keys the event already has. @default false */
    overwriteKeys: z.boolean('expected true or false').default(false),
    /** true: a value that is not JSON fails (the event is tagged); false: it is left as it is. @default false */
    addErrorKey: z.boolean('expected true or false').default(false),
  }),
)

/** Decodes fields that hold JSON text (e.g. a JSON log line inside a container log). */
export const decodeJsonFields: ProcessorDefinition<typeof schema> = {
  schema,
  compile(o) {
    const sources = o.fields.map((name) => ({ name, path: fieldPath(name), target: o.target === undefined || o.target === '' ? undefined : fieldPath(o.target) }))
    const decode = (text: string, depth: number): unknown => {
      const value: unknown = JSON.parse(text)
      if (!o.processArray && Array.isArray(value)) throw new SyntaxError('it is a JSON array (set processArray: true to decode arrays)')
      return depth < o.maxDepth ? deeper(value, depth + 1) : value
    }
    const deeper = (value: unknown, depth: number): unknown => {
      if (typeof value === 'string') {
        const t = value.trimStart()
        if (t.startsWith('{') || (o.processArray && t.startsWith('['))) {
          try {
            return decode(value, depth)
          } catch {
            return value
          }
        }
        return value
      }
      if (Array.isArray(value)) return value.map((v) => deeper(v, depth))
      if (isObject(value)) for (const k of Object.keys(value)) value[k] = deeper(value[k], depth)
      return value
    }
    return (event) => {
      for (const s of sources) {
        const text = getField(event, s.path)
        if (typeof text !== 'string') continue
        let value: unknown
        try {
          value = decode(text, 1)
        } catch (err) {
          if (o.addErrorKey) throw new ProcessorFailure(`${s.name} is not JSON: ${(err as Error).message}`)
          continue
        }
        if (o.target === '') {
          if (!isObject(value)) {
            if (o.addErrorKey) throw new ProcessorFailure(`${s.name} holds no JSON object to merge into the event`)
            continue
          }
          if (o.overwriteKeys) mergeInto(event, value)
          else for (const k of Object.keys(value)) if (event[k] === undefined) event[k] = value[k]
        } else {
          setField(event, s.target ?? s.path, value)
        }
      }
      return true
    }
  },
}
