/**
 * Levels to OpenTelemetry severity numbers, following the mapping tables of the OpenTelemetry
 * Logs Data Model (appendix B): TRACE 1-4, DEBUG 5-8, INFO 9-12, WARN 13-16, ERROR 17-20,
 * FATAL 21-24. Names not in a table keep their text and get no number (UNSPECIFIED, 0).
 */

export interface Severity {
  readonly number: number
  readonly text: string
}

const BY_NAME: Readonly<Record<string, number>> = {
  // pino, log4j, OpenTelemetry's own short names
  trace: 1,
  debug: 5,
  info: 9,
  warn: 13,
  error: 17,
  fatal: 21,
  // syslog (RFC 5424 severities), per the data model's syslog table
  emergency: 21,
  emerg: 21,
  alert: 19,
  critical: 18,
  crit: 18,
  err: 17,
  warning: 13,
  notice: 10,
  informational: 9,
  information: 9,
  // winston's npm levels (error warn info http verbose debug silly), in their order
  http: 8,
  verbose: 6,
  silly: 1,
}

/** pino's level numbers: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal. */
const PINO_NAMES: Readonly<Record<number, string>> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' }

/**
 * The severity of a level value: a name (any case) or a pino number. Custom pino numbers
 * between the standard ones take the range below them (35 is INFO2..INFO4 by distance).
 */
export function severityOf(level: unknown): Severity | undefined {
  if (typeof level === 'string') {
    const number = BY_NAME[level.toLowerCase()] ?? 0
    return { number, text: level }
  }
  if (typeof level === 'number' && Number.isFinite(level)) {
    const name = PINO_NAMES[level]
    if (name) return { number: BY_NAME[name]!, text: name }
    if (level < 10) return { number: 0, text: String(level) }
    const base = Math.min(60, Math.floor(level / 10) * 10)
    const step = Math.min(3, Math.floor(((level - base) / 10) * 4))
    return { number: BY_NAME[PINO_NAMES[base]!]! + (level > 60 ? 3 : step), text: String(level) }
  }
  return undefined
}
