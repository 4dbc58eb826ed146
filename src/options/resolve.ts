import { shipperSchema, type ResolvedOptions, type ShipperOptionsInput } from './schema.js'
import { formatIssues } from './format-issues.js'
import { knownKeysAt } from './suggest-key.js'
import { OptionError } from '../errors.js'

/** Keys pino's transport machinery adds to a transport's options; they are not ours. */
const HOST_KEYS = ['$context', 'pinoWillSendConfig']

/**
 * The only place options are checked. Throws one OptionError listing every problem
 * (key path, bad value, what is allowed); returns plain data safe to send to a worker.
 */
export function resolveOptions(input: unknown): ResolvedOptions {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new OptionError([
      `options: got ${input === null ? 'null' : Array.isArray(input) ? 'an array' : typeof input}; expected an object such as { output: { type: 'console' } }`,
    ])
  }
  const own: Record<string, unknown> = { ...(input as Record<string, unknown>) }
  for (const key of HOST_KEYS) delete own[key]
  const parsed = shipperSchema.safeParse(own, { reportInput: true })
  if (!parsed.success) throw new OptionError(formatIssues(parsed.error.issues, { knownKeys: (path) => knownKeysAt(shipperSchema, path, own), userInput: own }))
  return parsed.data
}

export type { ResolvedOptions, ShipperOptionsInput }
