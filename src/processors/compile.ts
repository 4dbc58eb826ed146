import type { z } from 'zod'
import { suggestKey } from '../options/suggest-key.js'
import { compileCondition } from './conditions.js'
import { isObject } from './fields.js'
import { PROCESSOR_NAMES, PROCESSORS } from './registry.js'
import { ProcessorConfigProblem, ProcessorFailure, type Predicate, type ProcessorEvent, type Step } from './types.js'

/** The tag a failed processor adds; `error.message` says which processor and why. */
export const FAILURE_TAG = '_logship_processor_failure'

/**
 * A compiled chain: runs each processor in order on the event (changed in place). Returns
 * false when a processor dropped the event. A processor that fails tags the event and stops
 * the chain (as in Filebeat); the event is still shipped.
 */
export type ProcessorChain = (event: ProcessorEvent) => boolean

/** A problem in a processor list: `path` from the list (index, processor name, key ...). */
export interface ProcessorProblem {
  readonly path: readonly PropertyKey[]
  readonly message: string
  /** The zod issue it came from, when the options schema found it (kept for the caller's formatting). */
  readonly issue?: z.core.$ZodIssue
}

interface CompiledStep {
  readonly name: string
  readonly label: string
  readonly run: Step
}

/**
 * Checks and compiles `list` (the `processors:` YAML or option) once. `where` names the list
 * in failure messages (`processors`, `inputs[0].processors`). Returns the chain, or every problem.
 */
export function compileProcessorList(
  list: readonly unknown[],
  where = 'processors',
): { chain: ProcessorChain; problems: [] } | { chain?: undefined; problems: ProcessorProblem[] } {
  const problems: ProcessorProblem[] = []
  const steps: CompiledStep[] = []
  list.forEach((entry, index) => {
    const step = compileEntry(entry, index, problems)
    if (step) steps.push({ name: step.name, label: `${where}[${index}] ${step.name}`, run: step.run })
  })
  if (problems.length > 0) return { problems }
  return { chain: chainOf(steps), problems: [] }
}

/** Like compileProcessorList, but throws a RangeError listing the problems (for code that already validated the list). */
export function compileProcessors(list: readonly unknown[] | undefined, where = 'processors'): ProcessorChain | undefined {
  if (list === undefined || list.length === 0) return undefined
  const compiled = compileProcessorList(list, where)
  if (compiled.chain) return compiled.chain
  throw new RangeError(compiled.problems.map((p) => `${where}${p.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('')}: ${p.message}`).join('\n'))
}

const EXAMPLE = 'one processor such as { add_fields: { fields: { env: production } } }'

function compileEntry(entry: unknown, index: number, problems: ProcessorProblem[]): { name: string; run: Step } | undefined {
  if (!isObject(entry)) {
    problems.push({ path: [index], message: `expected ${EXAMPLE}` })
    return undefined
  }
  const keys = Object.keys(entry)
  if (keys.length !== 1) {
    problems.push({
      path: [index],
      message: `expected ${EXAMPLE}, got ${keys.length === 0 ? 'no key' : `the keys ${keys.join(', ')}`} (each processor is its own list item: - ${keys[0] ?? 'add_fields'}: ...)`,
    })
    return undefined
  }
  const name = keys[0]!
  const definition = PROCESSORS[name]
  if (!definition) {
    const hint = suggestKey(name, PROCESSOR_NAMES)
    problems.push({ path: [index, name], message: `unknown processor; ${hint ? `${hint} ` : ''}expected one of ${PROCESSOR_NAMES.join(', ')}` })
    return undefined
  }
  const raw = entry[name] ?? {}
  if (!isObject(raw)) {
    problems.push({ path: [index, name], message: `expected the options of ${name} as an object` })
    return undefined
  }
  const { when, ...options } = raw
  let condition: Predicate | undefined
  if (when !== undefined) {
    try {
      condition = compileCondition(when, ['when'])
    } catch (err) {
      if (!(err instanceof ProcessorConfigProblem)) throw err
      problems.push({ path: [index, name, ...err.path], message: err.message })
    }
  }
  const parsed = definition.schema.safeParse(options, { reportInput: true })
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        const known = [...objectKeys(definition.schema), 'when']
        for (const key of issue.keys) {
          const hint = suggestKey(key, known)
          problems.push({ path: [index, name, ...issue.path, key], message: `unknown key; ${hint ?? `expected one of ${known.join(', ')}`}` })
        }
      } else {
        problems.push({ path: [index, name, ...issue.path], message: issue.message, issue: { ...issue, path: [index, name, ...issue.path] } })
      }
    }
    return undefined
  }
  let step: Step
  try {
    step = definition.compile(parsed.data)
  } catch (err) {
    if (!(err instanceof ProcessorConfigProblem)) throw err
    problems.push({ path: [index, name, ...err.path], message: err.message })
    return undefined
  }
  if (name === 'drop_event' && condition === undefined) return { name, run: step } // drops every event: allowed, if odd
  return { name, run: condition === undefined ? step : (event) => !condition(event) || step(event) }
}

/** The keys an options schema allows (strict objects, possibly wrapped by refine). */
function objectKeys(schema: z.ZodType): string[] {
  const def = (schema as unknown as { _zod: { def: { shape?: Record<string, unknown>; in?: z.ZodType; innerType?: z.ZodType; schema?: z.ZodType } } })._zod.def
  if (def.shape) return Object.keys(def.shape)
  const inner = def.in ?? def.innerType ?? def.schema
  return inner ? objectKeys(inner) : []
}

function chainOf(steps: readonly CompiledStep[]): ProcessorChain {
  const n = steps.length
  return (event) => {
    for (let i = 0; i < n; i++) {
      const step = steps[i]!
      try {
        if (!step.run(event)) return false
      } catch (err) {
        tagFailure(event, step.label, err)
        return true
      }
    }
    return true
  }
}

/** Tags the event and says why in `error.message` (appended to one already there). */
export function tagFailure(event: ProcessorEvent, label: string, err: unknown): void {
  const why = err instanceof ProcessorFailure ? err.message : `unexpected error: ${err instanceof Error ? err.message : String(err)}`
  const message = `${label}: ${why}`
  const tags = event.tags
  if (Array.isArray(tags)) {
    if (!tags.includes(FAILURE_TAG)) tags.push(FAILURE_TAG)
  } else event.tags = typeof tags === 'string' ? [tags, FAILURE_TAG] : [FAILURE_TAG]
  const error = event.error
  if (isObject(error)) error.message = typeof error.message === 'string' && error.message !== '' ? `${error.message}; ${message}` : message
  else event.error = { message }
}
