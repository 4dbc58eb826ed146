import { type ParsedFields, type Parser, type ParserOptions, parseFailure, withoutLineEnd } from './types.js'
import { digitsAt, digitsEnd, isoText, monthAt, validFields, wallClock, type WallClock } from './time.js'
import { addressFields, splitHostPort } from './ip.js'

/**
 * `apache.error`, both generations:
 *
 *   2.4: [Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 35708:tid 4328636416] [client 72.15.99.187:61234] AH00128: File does not exist: /x
 *   2.2: [Fri Sep 09 10:42:29 2011] [error] [client 127.0.0.1] File does not exist: /var/www/favicon.ico
 *
 * plus `ErrorLogFormat "[%{cu}t] ..."` times (`2024-06-01 12:34:56.123456`) and the bare
 * `AH00558: ...` lines apache writes before its logger starts. Times are local (no offset).
 */
export function createApacheErrorParser(options: ParserOptions = {}): Parser {
  const clock = wallClock(options.timezone)
  const fail = (reason: string) => parseFailure('apache.error', 'apache', reason)
  return (input) => {
    const line = withoutLineEnd(input)
    const event = { module: 'apache', dataset: 'apache.error', kind: 'event', category: ['web'], type: ['error'] }
    if (line.charCodeAt(0) !== 91 /* [ */) {
      // Start-up messages written before the error log is set up have no time or level.
      if (isErrorCode(line, 0)) return withMessage({ event }, line)
      return fail('expected "[time]" at the start of the line')
    }
    const timeEnd = line.indexOf(']', 1)
    const time = timeEnd < 0 ? '' : errorTime(line.slice(1, timeEnd), clock)
    if (time === '') return fail('expected the time as [Www Mmm dd hh:mm:ss[.micros] yyyy] or [yyyy-mm-dd hh:mm:ss[.micros]]')
    const fields: ParsedFields = { '@timestamp': time, event }

    // [module:level] or [level]
    let at = timeEnd + 1
    if (line.charCodeAt(at) !== 32 || line.charCodeAt(at + 1) !== 91) return fail('expected "[module:level]" or "[level]" after the time')
    const levelEnd = line.indexOf(']', at + 2)
    if (levelEnd < 0) return fail('the "[level]" is not closed')
    const section = line.slice(at + 2, levelEnd)
    const colon = section.lastIndexOf(':')
    fields.log = { level: section.slice(colon + 1) }
    if (colon > 0) fields.apache = { error: { module: section.slice(0, colon) } }
    at = levelEnd + 1

    // [pid N] or [pid N:tid M] (2.4 only)
    if (line.startsWith(' [pid ', at)) {
      const pidStart = at + 6
      const pidEnd = digitsEnd(line, pidStart)
      if (pidEnd === pidStart) return fail('expected a number after "[pid"')
      const process: Record<string, unknown> = { pid: Number(line.slice(pidStart, pidEnd)) }
      let close = pidEnd
      if (line.startsWith(':tid ', pidEnd)) {
        const tidEnd = digitsEnd(line, pidEnd + 5)
        if (tidEnd > pidEnd + 5) process.thread = { id: Number(line.slice(pidEnd + 5, tidEnd)) }
        close = tidEnd
      }
      if (line.charCodeAt(close) !== 93) return fail('the "[pid ...]" section is not closed')
      fields.process = process
      at = close + 1
    }
    if (line.charCodeAt(at) === 32) at++
    let rest = line.slice(at)

    // [client addr[:port]]: right here, or after an APR status ("(13)Permission denied: ")
    // or a source position ("ssl_engine_kernel.c(2345): ", debug levels).
    const clientAt = rest.startsWith('[client ') ? 0 : afterPrefix(rest)
    if (clientAt >= 0) {
      const close = rest.indexOf(']', clientAt)
      if (close > 0) {
        const generation24 = fields.process !== undefined
        const { host, port } = splitHostPort(rest.slice(clientAt + 8, close), generation24)
        const source: Record<string, unknown> | undefined = addressFields(host)
        if (source) {
          if (port !== undefined) source.port = port
          fields.source = source
        }
        rest = rest.slice(0, clientAt) + rest.slice(close + (rest.charCodeAt(close + 1) === 32 ? 2 : 1))
      }
    }
    return withMessage(fields, rest)
  }
}

function withMessage(fields: ParsedFields, message: string): ParsedFields {
  fields.message = message
  if (isErrorCode(message, 0)) fields.error = { code: message.slice(0, 7) }
  const referer = message.lastIndexOf(', referer: ')
  if (referer >= 0) fields.http = { request: { referrer: message.slice(referer + 11) } }
  return fields
}

/** Where `[client ` follows a `...: ` prefix, or -1. */
function afterPrefix(text: string): number {
  const at = text.indexOf(': [client ')
  return at < 0 ? -1 : at + 2
}

/** `AH01234: ` at `at`: apache 2.4's message ids. */
function isErrorCode(text: string, at: number): boolean {
  return text.charCodeAt(at) === 65 && text.charCodeAt(at + 1) === 72 && digitsAt(text, at + 2, 5) >= 0 && text.charCodeAt(at + 7) === 58
}

/** `Wed Oct 11 14:32:52.123456 2000` or `2024-06-01 12:34:56.123456` → ISO, or ''. */
function errorTime(text: string, clock: WallClock): string {
  let year: number, month: number, day: number, clockAt: number
  if (text.charCodeAt(4) === 45 /* - */) {
    year = digitsAt(text, 0, 4)
    month = digitsAt(text, 5, 2) - 1
    day = digitsAt(text, 8, 2)
    clockAt = 11
  } else {
    month = monthAt(text, 4)
    day = text.charCodeAt(8) === 32 ? digitsAt(text, 9, 1) : digitsAt(text, 8, 2)
    clockAt = 11
    year = digitsAt(text, text.length - 4, 4)
    if (text.charCodeAt(text.length - 5) !== 32) return ''
  }
  const hour = digitsAt(text, clockAt, 2)
  const minute = digitsAt(text, clockAt + 3, 2)
  const second = digitsAt(text, clockAt + 6, 2)
  if (text.charCodeAt(clockAt + 2) !== 58 || text.charCodeAt(clockAt + 5) !== 58 || !validFields(year, month, day, hour, minute, second)) return ''
  let fraction = ''
  if (text.charCodeAt(clockAt + 8) === 46 /* . */) fraction = text.slice(clockAt + 9, digitsEnd(text, clockAt + 9))
  return isoText(clock(year, month, day, hour, minute, second), fraction)
}
