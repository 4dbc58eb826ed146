import { z } from '../util/zod.js'

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/

/** `5m`, `30s`, `250ms`, `1h`, `7d` → milliseconds; numbers stay as they are; anything else is left for the schema to refuse. */
function parseDuration(value: unknown): unknown {
  if (typeof value !== 'string') return value
  const m = DURATION.exec(value.trim())
  if (!m) return value
  return Math.round(Number(m[1]) * UNITS[m[2]!]!)
}

/** A duration key (`...Ms`): whole milliseconds, or a string such as `5m`, `30s`, `250ms`. */
export function duration(what: string, min = 0): z.ZodType<number, unknown> {
  const message = `expected ${what} as whole milliseconds or a duration such as 250ms, 30s, 5m, 1h`
  return z.preprocess(
    parseDuration,
    z
      .number(message)
      .int(message)
      .min(min, min === 0 ? `expected ${what} of 0 ms or more` : `expected at least ${min} ms`),
  ) as unknown as z.ZodType<number, unknown>
}
