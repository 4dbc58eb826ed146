import { z } from 'zod'
import { fieldPath, getField, mergeInto } from './fields.js'
import { compileNginxLogFormat } from './nginx-log-format.js'
import { ProcessorFailure, type ProcessorDefinition } from './types.js'

const schema = z.strictObject({
  /** The `log_format` string from nginx.conf, as written there (the quotes of each part joined). */
  format: z.string('expected the log_format string from nginx.conf').min(1, 'expected the log_format string from nginx.conf'),
  field: z.string('expected a field name').min(1, 'expected a field name').default('message'),
})

/** Parses lines written with a custom nginx `log_format` into the nginx.access ECS fields. */
export const nginxAccessFormat: ProcessorDefinition<typeof schema> = {
  schema,
  compile(o) {
    const compiled = compileNginxLogFormat(o.format)
    const source = fieldPath(o.field)
    return (event) => {
      const line = getField(event, source)
      if (typeof line !== 'string') throw new ProcessorFailure(`field ${o.field} is ${line === undefined ? 'missing' : 'not a string'}`)
      const fields = compiled.parse(line)
      if (fields === undefined) throw new ProcessorFailure(`${o.field} does not have the shape of the log_format`)
      mergeInto(event, fields)
      return true
    }
  },
}
