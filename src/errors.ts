/**
 * Every error logship raises or emits carries a stable `code`. Codes are never reused.
 * Messages say what was wrong and what to do about it.
 */
export type LogshipErrorCode =
  | 'LOGSHIP_ERR_OPTION_INVALID'
  | 'LOGSHIP_ERR_CLOSED'
  | 'LOGSHIP_ERR_OUTPUT'
  | 'LOGSHIP_ERR_OUTPUT_FATAL'
  | 'LOGSHIP_ERR_DEAD_LETTER'
  | 'LOGSHIP_ERR_WORKER'
  | 'LOGSHIP_ERR_CONFIG'
  | 'LOGSHIP_ERR_SPILL'
  | 'LOGSHIP_ERR_HTTP'
  | 'LOGSHIP_ERR_SHUTDOWN'

export class LogshipError extends Error {
  readonly code: LogshipErrorCode
  constructor(code: LogshipErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'LogshipError'
    this.code = code
  }
}

/** Invalid options: the message names the key path, the bad value and what is allowed. */
export class OptionError extends LogshipError {
  /** One line per problem, each naming the key path. */
  readonly problems: readonly string[]
  constructor(problems: readonly string[]) {
    super('LOGSHIP_ERR_OPTION_INVALID', problems.length === 1 ? `invalid logship options: ${problems[0]}` : `invalid logship options:\n  - ${problems.join('\n  - ')}`)
    this.name = 'OptionError'
    this.problems = problems
  }
}

/** An output error with the output's name in the message (never its credentials). */
export function outputError(outputName: string, message: string, cause?: unknown): LogshipError {
  return new LogshipError('LOGSHIP_ERR_OUTPUT', `${outputName}: ${message}`, cause === undefined ? undefined : { cause })
}

/** Short text for any thrown value, for messages and dead-letter reasons. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code
    return typeof code === 'string' && !err.message.includes(code) ? `${err.message} (${code})` : err.message
  }
  return String(err)
}
