import { z } from '../util/zod.js'
import { fieldPath, getField, isObject, setField } from './fields.js'
import { ProcessorFailure, type ProcessorDefinition } from './types.js'
import { lazySchema } from '../util/lazy-schema.js'

const count = lazySchema(() => z.number('expected a whole number').int('expected a whole number').min(1, 'expected 1 or more'))
const schema = lazySchema(() =>
  z
    .strictObject({
      fields: z
        .array(z.string('expected a field name').min(1, 'expected a field name'), "expected a list of field names such as ['message']")
        .min(1, 'expected at least one field'),
      /** Longest value in UTF-8 bytes (a character is never cut in half). */
      maxBytes: count.optional(),
      /** Longest value in characters (code points). */
      maxCharacters: count.optional(),
      /** false: an event without one of the fields fails. @default false */
      ignoreMissing: z.boolean('expected true or false').default(false),
      /** true: a value that is not a string fails; false: it is left as it is. @default true */
      failOnError: z.boolean('expected true or false').default(true),
    })
    .refine((o) => (o.maxBytes === undefined) !== (o.maxCharacters === undefined), { message: 'expected exactly one of maxBytes or maxCharacters', path: ['maxBytes'] }),
)

/** Cuts long string values; a cut event gets `log.flags: [truncated]` (as in Filebeat). */
export const truncateFields: ProcessorDefinition<typeof schema> = {
  schema,
  compile(o) {
    const paths = o.fields.map((name) => ({ name, path: fieldPath(name) }))
    const cut = o.maxBytes !== undefined ? byteCutter(o.maxBytes) : charCutter(o.maxCharacters!)
    return (event) => {
      let truncated = false
      for (const { name, path } of paths) {
        const value = getField(event, path)
        if (value === undefined) {
          if (!o.ignoreMissing) throw new ProcessorFailure(`field ${name} is missing (set ignoreMissing: true to allow it)`)
          continue
        }
        if (typeof value !== 'string') {
          if (o.failOnError) throw new ProcessorFailure(`field ${name} is not a string`)
          continue
        }
        const short = cut(value)
        if (short !== value) {
          setField(event, path, short)
          truncated = true
        }
      }
      if (truncated) flagTruncated(event)
      return true
    }
  },
}

function byteCutter(max: number): (s: string) => string {
  return (s) => {
    if (s.length * 3 <= max || Buffer.byteLength(s) <= max) return s
    const bytes = Buffer.from(s)
    let end = max
    while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--
    return bytes.toString('utf8', 0, end)
  }
}

function charCutter(max: number): (s: string) => string {
  return (s) => {
    if (s.length <= max) return s
    let chars = 0
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i)
      if (c >= 0xdc00 && c <= 0xdfff && i > 0) continue // second half of a pair
      if (chars === max) return s.slice(0, i)
      chars++
    }
    return s
  }
}

function flagTruncated(event: Record<string, unknown>): void {
  let log = event.log
  if (!isObject(log)) {
    if (log !== undefined) return
    log = {}
    event.log = log
  }
  const l = log as Record<string, unknown>
  if (!Array.isArray(l.flags)) l.flags = ['truncated']
  else if (!l.flags.includes('truncated')) l.flags.push('truncated')
}
