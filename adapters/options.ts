import type { z } from '../src/util/zod.js'
import { resolveOptions, type ResolvedOptions } from '../src/options/resolve.js'
import { formatIssues } from '../src/options/format-issues.js'
import { OptionError } from '../src/errors.js'

/**
 * Splits an adapter's options into its own keys (checked with `schema`) and the shipper's
 * (checked by resolveOptions), and reports the problems of both in one OptionError, so a
 * user fixing their options sees every mistake at once.
 */
export function splitOptions<S extends z.ZodObject>(input: unknown, schema: S, shipperDefaults: Record<string, unknown> = {}): { own: z.output<S>; shipper: ResolvedOptions } {
  const problems: string[] = []
  const source = typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : undefined
  const mine: Record<string, unknown> = {}
  const rest: Record<string, unknown> = { ...shipperDefaults }
  if (source) {
    for (const [key, value] of Object.entries(source)) {
      if (key in schema.shape) mine[key] = value
      else rest[key] = value
    }
  }
  const parsed = schema.safeParse(mine, { reportInput: true })
  if (!parsed.success) problems.push(...formatIssues(parsed.error.issues))
  let shipper: ResolvedOptions | undefined
  try {
    shipper = resolveOptions(source ? rest : input)
  } catch (err) {
    if (!(err instanceof OptionError)) throw err
    problems.push(...err.problems)
  }
  if (problems.length > 0 || !parsed.success || !shipper) throw new OptionError(problems)
  return { own: parsed.data, shipper }
}
