import { z } from '../util/zod.js'
import { cloneValue, deleteField, fieldPath, getField, hasField, setField, type FieldPath } from './fields.js'
import { ProcessorFailure, type ProcessorEvent } from './types.js'
import { lazySchema } from '../util/lazy-schema.js'

/** `fields: [{ from, to }]` of rename and copy_fields. */
export const moveSchema = lazySchema(() =>
  z.strictObject({
    fields: z
      .array(
        z.strictObject({ from: z.string('expected a field name').min(1, 'expected a field name'), to: z.string('expected a field name').min(1, 'expected a field name') }),
        'expected a list such as [{ from: msg, to: message }]',
      )
      .min(1, 'expected at least one { from, to }'),
    /** false: an event without a `from` field fails. @default false */
    ignoreMissing: z.boolean('expected true or false').default(false),
    /** true: a failure (missing field, `to` already there) undoes this processor's changes and tags the event; false: the pair is skipped quietly. @default true */
    failOnError: z.boolean('expected true or false').default(true),
  }),
)

/**
 * Moves (rename) or copies values. The `to` field must not exist yet (as in Filebeat). With
 * failOnError, a failure leaves the event as it was before this processor.
 */
export function compileMove(o: z.output<typeof moveSchema>, copy: boolean): (event: ProcessorEvent) => boolean {
  const pairs = o.fields.map((f) => ({ from: fieldPath(f.from), to: fieldPath(f.to), names: f }))
  return (event) => {
    const done: { from: FieldPath; to: FieldPath; value: unknown }[] = []
    for (const { from, to, names } of pairs) {
      const value = getField(event, from)
      let problem: string | undefined
      if (value === undefined) {
        if (o.ignoreMissing) continue
        problem = `field ${names.from} is missing`
      } else if (hasField(event, to)) {
        problem = `field ${names.to} already exists`
      }
      if (problem === undefined) {
        try {
          if (!copy) deleteField(event, from)
          setField(event, to, copy ? cloneValue(value) : value)
          done.push({ from, to, value })
          continue
        } catch (err) {
          if (!copy) setField(event, from, value)
          problem = (err as Error).message
        }
      }
      if (!o.failOnError) continue
      for (let i = done.length - 1; i >= 0; i--) {
        const d = done[i]!
        deleteField(event, d.to)
        if (!copy) setField(event, d.from, d.value)
      }
      throw new ProcessorFailure(problem)
    }
    return true
  }
}
