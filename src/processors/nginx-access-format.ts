import { z } from '../util/zod.js'
import { fieldPath, getField, mergeInto } from './fields.js'
import { LogFormatProblem } from '../tail/modules/log-format/compile.js'
import { compileNginxFormat } from '../tail/modules/log-format/nginx.js'
import { ProcessorConfigProblem, ProcessorFailure, type ProcessorDefinition } from './types.js'
import { lazySchema } from '../util/lazy-schema.js'

const schema = lazySchema(() =>
  z.strictObject({
    /** The `log_format` string from nginx.conf, as written there (the quotes of each part joined). */
    format: z.string('expected the log_format string from nginx.conf').min(1, 'expected the log_format string from nginx.conf'),
    field: z.string('expected a field name').min(1, 'expected a field name').default('message'),
    /** Variables nginx.conf makes itself (`map`, `set`), without the `$`. */
    variables: z.array(z.string().regex(/^[A-Za-z0-9_]+$/, 'expected a variable name without the $, such as tenant'), 'expected a list of variable names').optional(),
  }),
)

/**
 * Parses lines written with a custom nginx `log_format` into the nginx.access ECS fields: the
 * same compiler as `parser: { nginx: { logFormat } }` (src/tail/modules/log-format), for a
 * line that is already a field of an event.
 */
export const nginxAccessFormat: ProcessorDefinition<typeof schema> = {
  schema,
  compile(o) {
    let parse: ReturnType<typeof compileNginxFormat>['parse']
    try {
      parse = compileNginxFormat(o.format, { key: 'format', ...(o.variables === undefined ? {} : { variables: o.variables }) }).parse
    } catch (err) {
      if (err instanceof LogFormatProblem) throw new ProcessorConfigProblem(['format'], err.message)
      throw err
    }
    const source = fieldPath(o.field)
    return (event) => {
      const line = getField(event, source)
      if (typeof line !== 'string') throw new ProcessorFailure(`field ${o.field} is ${line === undefined ? 'missing' : 'not a string'}`)
      const fields = parse(line)
      if (fields.tags !== undefined) throw new ProcessorFailure(`${o.field} does not have the shape of the log_format: ${(fields.error as { message: string }).message}`)
      mergeInto(event, fields)
      return true
    }
  },
}
