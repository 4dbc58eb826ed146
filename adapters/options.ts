import type { z } from '../src/util/zod.js'
import { resolveOptions, type ResolvedOptions } from '../src/options/resolve.js'
import { shipperSchema } from '../src/options/schema.js'
import { knownKeysAt, suggestKey } from '../src/options/suggest-key.js'
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
    const known = knownKeys(schema, source)
    for (const [key, value] of Object.entries(source)) {
      if (key in schema.shape) mine[key] = value
      else if (known.includes(key) || PINO_KEYS.has(key)) rest[key] = value
      else {
        // the shipper's check knows only its own keys: a typo of the adapter's (`tea` for `tee`) got no hint there
        const hint = suggestKey(key, known)
        if (hint === undefined)
          rest[key] = value // the shipper's check says what it can
        else problems.push(`(options): unknown key "${key}"; ${hint}`)
      }
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

/** Keys pino's transport machinery adds to a transport's options (resolveOptions ignores them). */
const PINO_KEYS = new Set(['$context', 'pinoWillSendConfig'])

/** Every top-level key this adapter takes: its own, then the shipper's. */
function knownKeys(schema: z.ZodObject, source: Record<string, unknown>): string[] {
  return [...Object.keys(schema.shape), ...(knownKeysAt(shipperSchema, [], source) ?? [])]
}
