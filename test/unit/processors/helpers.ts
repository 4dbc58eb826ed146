import { compileProcessorList, type ProcessorEvent } from '../../../src/processors/index.js'

/** Runs one processor list on a copy of `event`: the event after it, or 'dropped'. */
export function run(list: unknown[], event: ProcessorEvent): ProcessorEvent | 'dropped' {
  const compiled = compileProcessorList(list)
  if (!compiled.chain) throw new Error(compiled.problems.map((p) => `${p.path.join('.')}: ${p.message}`).join('\n'))
  const copy = structuredClone(event)
  return compiled.chain(copy) ? copy : 'dropped'
}

/** The config problems of a list, as `path: message` lines. */
export function problems(list: unknown[]): string[] {
  return compileProcessorList(list).problems.map((p) => `${p.path.join('.')}: ${p.message}`)
}
