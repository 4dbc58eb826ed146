import type { z } from '../util/zod.js'
import { suggestKey } from '../options/suggest-key.js'
import { compileCondition } from './conditions.js'
import { isObject } from './fields.js'
import { PROCESSOR_NAMES, PROCESSORS } from './registry.js'
import { ProcessorConfigProblem, ProcessorFailure, type Predicate, type ProcessorEvent, type Step } from './types.js'

/** The tag a failed processor adds; `error.message` says which processor and why. */
const FAILURE_TAG = '_logship_processor_failure'

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
  const compiled = compileSteps(list, where)
  if (compiled.problems.length > 0) return { problems: compiled.problems }
  return { chain: chainOf(compiled.steps), problems: [] }
}

function compileSteps(list: readonly unknown[], where: string): { steps: CompiledStep[]; problems: ProcessorProblem[] } {
  const problems: ProcessorProblem[] = []
  const steps: CompiledStep[] = []
  list.forEach((entry, index) => {
    const step = compileEntry(entry, index, problems)
    if (step) steps.push({ name: step.name, label: `${where}[${index}] ${step.name}`, run: step.run })
  })
  return { steps, problems }
}

/** Steps of an already validated list; throws a RangeError listing the problems otherwise. */
function validSteps(list: readonly unknown[] | undefined, where: string): CompiledStep[] {
  if (list === undefined) return []
  const { steps, problems } = compileSteps(list, where)
  if (problems.length === 0) return steps
  throw new RangeError(problems.map((p) => `${where}${p.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('')}: ${p.message}`).join('\n'))
}

/** Like compileProcessorList, but throws a RangeError listing the problems (for lists the schema already checked); undefined for no processors. */
export function compileProcessors(list: readonly unknown[] | undefined, where = 'processors'): ProcessorChain | undefined {
  const steps = validSteps(list, where)
  return steps.length === 0 ? undefined : chainOf(steps)
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
function tagFailure(event: ProcessorEvent, label: string, err: unknown): void {
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

/**
 * Tail mode: an input's own processors, then the config's (as in Filebeat), as one chain;
 * undefined when there are none. `where` names the input's list (`inputs[0].processors`).
 */
export function inputChain(own: readonly unknown[] | undefined, global: readonly unknown[] | undefined, where: string): ProcessorChain | undefined {
  const steps = [...validSteps(own, where), ...validSteps(global, 'processors')]
  return steps.length === 0 ? undefined : chainOf(steps)
}
