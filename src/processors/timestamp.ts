import { z } from '../util/zod.js'
import { compileLayout, type TimeParser } from './go-layout.js'
import { fieldPath, getField, setField } from './fields.js'
import { ProcessorConfigProblem, ProcessorFailure, type ProcessorDefinition } from './types.js'
import { lazySchema } from '../util/lazy-schema.js'

const schema = lazySchema(() =>
  z.strictObject({
    field: z.string('expected a field name').min(1, 'expected a field name'),
    /** Go layouts (2006-01-02T15:04:05Z07:00), Go's layout names (RFC3339 ...), UNIX or UNIX_MS; the first that fits wins. */
    layouts: z
      .array(z.string('expected a layout such as 2006-01-02T15:04:05Z07:00').min(1, 'expected a layout'), "expected a list of layouts such as ['2006-01-02 15:04:05']")
      .min(1, 'expected at least one layout'),
    /** Zone of times written without an offset: UTC, local, +02:00 or an IANA name. @default 'UTC' */
    timezone: z.string('expected a time zone such as UTC or Europe/Berlin').default('UTC'),
    targetField: z.string('expected a field name').min(1, 'expected a field name').default('@timestamp'),
    /** false: an event without the field fails. @default false */
    ignoreMissing: z.boolean('expected true or false').default(false),
    /** true: a time no layout fits leaves the event as it is, untagged. @default false */
    ignoreFailure: z.boolean('expected true or false').default(false),
  }),
)

/** Parses a time out of a field into `@timestamp` (ISO-8601, UTC). */
export const timestamp: ProcessorDefinition<typeof schema> = {
  schema,
  compile(o) {
    const parsers: TimeParser[] = o.layouts.map((layout, i) => {
      try {
        return compileLayout(layout, o.timezone)
      } catch (err) {
        const message = (err as Error).message
        throw new ProcessorConfigProblem(message.includes('time zone') ? ['timezone'] : ['layouts', i], message)
      }
    })
    const source = fieldPath(o.field)
    const target = fieldPath(o.targetField)
    return (event) => {
      const raw = getField(event, source)
      if (raw === undefined) {
        if (o.ignoreMissing) return true
        throw new ProcessorFailure(`field ${o.field} is missing (set ignoreMissing: true to allow it)`)
      }
      const text = typeof raw === 'number' ? String(raw) : raw
      if (typeof text === 'string') {
        for (const parse of parsers) {
          const iso = parse(text)
          if (iso !== undefined) {
            setField(event, target, iso)
            return true
          }
        }
      }
      if (o.ignoreFailure) return true
      throw new ProcessorFailure(`${o.field} (${JSON.stringify(raw)?.slice(0, 60)}) fits none of the layouts`)
    }
  },
}
