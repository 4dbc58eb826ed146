import { z } from '../util/zod.js'
import { compileProcessorList } from './compile.js'
import { lazySchema } from '../util/lazy-schema.js'

/**
 * `processors:` in the YAML config and in the library's options: a list of one-key objects,
 * checked by compiling it (the problems are zod issues at the processor's index, name and key,
 * so they read like every other option's). The value stays the plain list the user wrote: each
 * user of it compiles its own chain (a worker thread gets options as plain data).
 */
export const processorsSchema = lazySchema(() =>
  z.array(z.unknown(), "expected a list of processors such as [{ drop_fields: { fields: ['agent'] } }]").superRefine((list, ctx) => {
    const { problems } = compileProcessorList(list)
    for (const problem of problems) {
      if (problem.issue) ctx.addIssue(problem.issue as Parameters<typeof ctx.addIssue>[0])
      else ctx.addIssue({ code: 'custom', path: [...problem.path], message: problem.message, input: valueAt(list, problem.path) })
    }
  }),
)

/** What the user wrote at `path` (shown in the message as "got ..."). */
function valueAt(list: unknown, path: readonly PropertyKey[]): unknown {
  let at: unknown = list
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined
    at = (at as Record<PropertyKey, unknown>)[key]
  }
  return at
}
