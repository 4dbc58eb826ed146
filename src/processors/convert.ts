import { z } from '../util/zod.js'
import { CONVERT_TYPES, convertValue } from './convert-value.js'
import { deleteField, fieldPath, getField, setField, type FieldPath } from './fields.js'
import { ProcessorFailure, type ProcessorDefinition } from './types.js'
import { lazySchema } from '../util/lazy-schema.js'

const schema = lazySchema(() =>
  z.strictObject({
    fields: z
      .array(
        z.strictObject({
          from: z.string('expected a field name').min(1, 'expected a field name'),
          /** Where the converted value goes; unset: back into `from`. */
          to: z.string('expected a field name').min(1, 'expected a field name').optional(),
          /** Unset: the value is only copied or moved. */
          type: z.enum(CONVERT_TYPES, `expected one of ${CONVERT_TYPES.join(' | ')}`).optional(),
        }),
        'expected a list such as [{ from: http.response.status_code, type: integer }]',
      )
      .min(1, 'expected at least one { from, type }'),
    /** false: an event without a `from` field fails. @default false */
    ignoreMissing: z.boolean('expected true or false').default(false),
    /** true: a value that does not convert leaves the event as it was and tags it; false: that field is skipped. @default true */
    failOnError: z.boolean('expected true or false').default(true),
    /** With `to`: copy (keep `from`) or rename (remove it). @default 'copy' */
    mode: z.enum(['copy', 'rename'], 'expected copy | rename').default('copy'),
  }),
)

/** Converts values between types (Filebeat's convert). */
export const convert: ProcessorDefinition<typeof schema> = {
  schema,
  compile(o) {
    const specs = o.fields.map((f) => ({ name: f.from, from: fieldPath(f.from), to: f.to === undefined ? undefined : fieldPath(f.to), type: f.type }))
    return (event) => {
      // convert everything first, then write: a failure leaves the event as it was
      const writes: { from: FieldPath; to: FieldPath | undefined; value: unknown }[] = []
      for (const s of specs) {
        const value = getField(event, s.from)
        if (value === undefined) {
          if (!o.ignoreMissing && o.failOnError) throw new ProcessorFailure(`field ${s.name} is missing (set ignoreMissing: true to allow it)`)
          continue
        }
        let converted: unknown
        try {
          converted = s.type === undefined ? value : convertValue(value, s.type)
        } catch (err) {
          if (o.failOnError) throw new ProcessorFailure(`${s.name}: ${(err as Error).message}`)
          continue
        }
        writes.push({ from: s.from, to: s.to, value: converted })
      }
      for (const w of writes) {
        if (w.to === undefined) {
          setField(event, w.from, w.value)
          continue
        }
        if (o.mode === 'rename') deleteField(event, w.from)
        setField(event, w.to, w.value)
      }
      return true
    }
  },
}
