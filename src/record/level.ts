import { LEVELS } from '../options/schema.js'

export type LevelName = (typeof LEVELS)[number]

/** Severity rank: trace 0 .. fatal 5. Unknown levels rank as info. */
export function levelRank(name: LevelName): number {
  return LEVELS.indexOf(name)
}

const ALIASES: Record<string, number> = {
  trace: 0,
  debug: 1,
  info: 2,
  information: 2,
  notice: 2,
  http: 2,
  verbose: 1,
  silly: 0,
  warn: 3,
  warning: 3,
  error: 4,
  err: 4,
  crit: 5,
  critical: 5,
  alert: 5,
  emerg: 5,
  emergency: 5,
  fatal: 5,
}

/** pino numbers: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal. */
function rankOfValue(value: unknown): number {
  if (typeof value === 'number') return Math.max(0, Math.min(5, Math.floor(value / 10) - 1))
  if (typeof value === 'string') return ALIASES[value.toLowerCase()] ?? 2
  return 2
}

/** Rank of an event given to write(): reads `level`, `log.level` or `severity`. Never throws (info when unreadable). */
export function rankOfEvent(event: unknown): number {
  try {
    return rankOf(event)
  } catch {
    return 2 // a Proxy or getter that throws: toRecordText ships what it can of it
  }
}

function rankOf(event: unknown): number {
  if (typeof event === 'string') return rankOfText(event)
  if (typeof event !== 'object' || event === null) return 2
  const e = event as Record<string, unknown>
  if (event instanceof Error) return 4
  if ('level' in e) return rankOfValue(e.level)
  if ('log.level' in e) return rankOfValue(e['log.level'])
  const log = e.log as Record<string, unknown> | undefined
  if (typeof log === 'object' && log !== null && 'level' in log) return rankOfValue(log.level)
  if ('severity' in e) return rankOfValue(e.severity)
  return 2
}

const LEVEL_IN_TEXT = /"(?:level|log\.level|severity)"\s*:\s*(?:"([^"]*)"|(\d+))/

/** Rank of a JSON text: a regex look for the level field, no parse. */
function rankOfText(text: string): number {
  const m = LEVEL_IN_TEXT.exec(text)
  if (!m) return 2
  return m[1] !== undefined ? rankOfValue(m[1]) : rankOfValue(Number(m[2]))
}
