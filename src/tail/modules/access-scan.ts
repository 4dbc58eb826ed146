import { digitsAt, isoText, monthAt, offsetMinutes, secondsToNanos, validFields } from './time.js'
import { splitHostPort } from './ip.js'
import { closingQuote, unescapeLogText } from './escapes.js'
import { parseRequestLine, type RequestLine } from './request-line.js'
import { withoutLineEnd } from './types.js'

/**
 * One reader for the NCSA access-log family both web servers write:
 *
 *   common:   host ident user [10/Oct/2000:13:55:36 -0700] "GET /a HTTP/1.1" 200 2326
 *   combined: ... 200 2326 "referrer" "user agent"
 *
 * plus the variants seen in the wild: a leading virtual host (`vhost_combined`, nginx
 * `$host`), an address list instead of one address (nginx behind proxies), and for nginx
 * trailing `"$http_x_forwarded_for"` (the RHEL/nginx.org `main` format) and `$request_time`
 * (bare seconds, or `rt=`/`request_time=`). Hand-written index scanning: no regex per line.
 *
 * The scan finds the values; access-log.ts renders them as ECS fields (an object) or straight
 * as JSON text, so both renderings read the line the same way.
 */
export interface AccessScan {
  /** `@timestamp`: the logged time in UTC. */
  iso: string
  status: number
  bytes: number | undefined
  /** An address list before ident (`a, b, c`): the first is the client. */
  remoteList: string[] | undefined
  /** `vhost[:port]` before the client address. */
  vhost: { host: string; port?: number } | undefined
  /** The client address as logged (`-` when there is none). */
  client: string
  user: string | undefined
  request: RequestLine | undefined
  /** `url.original`: the request target, unescaped. */
  target: string | undefined
  referrer: string | undefined
  agent: string | undefined
  /** nginx's `"$http_x_forwarded_for"`, split. */
  forwardedFor: string[] | undefined
  /** nginx's `$request_time`, in nanoseconds. */
  durationNanos: number | undefined
}

const TIME_LENGTH = 26 // 10/Oct/2000:13:55:36 -0700

/** A scanner for one input: the values of one line, or why it could not be read. */
export function createAccessScanner(nginxTrailer: boolean): (input: string) => AccessScan | string {
  // Busy logs repeat the same second many times: convert each distinct time text once.
  let lastTimeText = ''
  let lastIso = ''

  return (input) => {
    const line = withoutLineEnd(input)
    const open = line.indexOf(' [')
    if (open < 0) return 'no "[time]" field: expected the common or combined log format (client ident user [time] "request" status bytes)'
    const userSpace = line.lastIndexOf(' ', open - 1)
    const identSpace = userSpace > 0 ? line.lastIndexOf(' ', userSpace - 1) : -1
    if (identSpace <= 0) return 'expected client address, ident and user before "[time]"'

    const timeStart = open + 2
    if (line.charCodeAt(timeStart + TIME_LENGTH) !== 93 /* ] */) return 'expected the time as [day/Mon/year:hh:mm:ss +zone]'
    const timeText = line.slice(timeStart, timeStart + TIME_LENGTH)
    if (timeText !== lastTimeText) {
      const iso = accessTime(timeText)
      if (iso === '') return `unreadable time "${timeText}"; expected day/Mon/year:hh:mm:ss +zone`
      lastTimeText = timeText
      lastIso = iso
    }

    let at = timeStart + TIME_LENGTH + 1
    if (line.charCodeAt(at) !== 32 || line.charCodeAt(at + 1) !== 34) return 'expected a quoted "request" after the time'
    const requestStart = at + 2
    // The request ends at the quote followed by ` NNN ` (the status), so an unescaped quote
    // inside the request (nginx escape=none, broken clients) does not end it early.
    let requestEnd = closingQuote(line, requestStart)
    while (requestEnd >= 0 && !statusFollows(line, requestEnd + 1)) requestEnd = closingQuote(line, requestEnd + 1)
    if (requestEnd < 0) return 'expected "request" followed by a three-digit status and the body size'
    const status = digitsAt(line, requestEnd + 2, 3)
    at = requestEnd + 6
    let bytesEnd = line.indexOf(' ', at)
    if (bytesEnd < 0) bytesEnd = line.length
    const bytesText = line.slice(at, bytesEnd)
    const bytes = bytesText === '-' ? undefined : wholeNumber(bytesText)
    if (bytes === -1) return `body size "${bytesText}" is neither a number nor "-"`

    let referrer: string | undefined
    let agent: string | undefined
    let trailer = ''
    if (bytesEnd < line.length) {
      if (line.charCodeAt(bytesEnd + 1) !== 34) return 'expected a quoted "referrer" after the body size (combined format) or the end of the line (common format)'
      const referrerEnd = closingQuote(line, bytesEnd + 2)
      if (referrerEnd < 0 || line.charCodeAt(referrerEnd + 1) !== 32 || line.charCodeAt(referrerEnd + 2) !== 34)
        return 'expected quoted "referrer" and "user agent" after the body size'
      const agentEnd = closingQuote(line, referrerEnd + 3)
      if (agentEnd < 0) return 'the quoted "user agent" is not closed'
      referrer = quotedValue(line.slice(bytesEnd + 2, referrerEnd))
      agent = quotedValue(line.slice(referrerEnd + 3, agentEnd))
      trailer = line.slice(agentEnd + 1)
    }

    const user = line.slice(userSpace + 1, open)
    const requestText = line.slice(requestStart, requestEnd)
    const request = requestText === '-' || requestText === '' ? undefined : parseRequestLine(requestText)
    const scan: AccessScan = {
      iso: lastIso,
      status,
      bytes,
      remoteList: undefined,
      vhost: undefined,
      client: '-',
      user: user !== '-' && user !== '' ? unescapeLogText(user) : undefined,
      request,
      target: request !== undefined && request.target.length > 0 ? unescapeLogText(request.target) : undefined,
      referrer,
      agent,
      forwardedFor: undefined,
      durationNanos: undefined,
    }
    scanAddresses(scan, line.slice(0, identSpace))
    if (nginxTrailer && trailer.length > 0) scanNginxTrailer(scan, trailer)
    return scan
  }
}

function statusFollows(line: string, at: number): boolean {
  return line.charCodeAt(at) === 32 && digitsAt(line, at + 1, 3) >= 100 && line.charCodeAt(at + 4) === 32
}

function wholeNumber(text: string): number {
  if (text.length === 0 || text.length > 15) return -1
  const value = digitsAt(text, 0, text.length)
  return value
}

function quotedValue(raw: string): string | undefined {
  return raw === '-' || raw === '' ? undefined : unescapeLogText(raw)
}

/** `10/Oct/2000:13:55:36 -0700` → UTC ISO text, or '' when it is not a real time. */
export function accessTime(text: string): string {
  const day = digitsAt(text, 0, 2)
  const month = monthAt(text, 3)
  const year = digitsAt(text, 7, 4)
  const hour = digitsAt(text, 12, 2)
  const minute = digitsAt(text, 15, 2)
  const second = digitsAt(text, 18, 2)
  const offset = offsetMinutes(text, 21, 26)
  if (text.charCodeAt(2) !== 47 || text.charCodeAt(6) !== 47 || text.charCodeAt(11) !== 58 || text.charCodeAt(20) !== 32) return ''
  if (Number.isNaN(offset) || !validFields(year, month, day, hour, minute, second)) return ''
  return isoText(Date.UTC(year, month, day, hour, minute, second) - offset * 60_000)
}

/**
 * The part before ident: `addr`, `vhost[:port] addr`, or an address list `a, b, c`
 * (the first entry is the original client, as in X-Forwarded-For).
 */
function scanAddresses(scan: AccessScan, text: string): void {
  if (text.includes(',')) {
    const list = text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0 && s !== '-')
    if (list.length > 0) scan.remoteList = list
    scan.client = list[0] ?? '-'
    return
  }
  const space = text.lastIndexOf(' ')
  if (space > 0) {
    scan.client = text.slice(space + 1)
    scan.vhost = splitHostPort(text.slice(0, text.indexOf(' ')), true)
  } else {
    scan.client = text
  }
}

/** nginx after the agent: `"$http_x_forwarded_for"`, `$request_time`, `rt=0.123`. */
function scanNginxTrailer(scan: AccessScan, trailer: string): void {
  let i = 0
  let forwardedSeen = false
  while (i < trailer.length) {
    if (trailer.charCodeAt(i) === 32) {
      i++
      continue
    }
    if (trailer.charCodeAt(i) === 34) {
      const end = closingQuote(trailer, i + 1)
      const value = trailer.slice(i + 1, end < 0 ? trailer.length : end)
      if (!forwardedSeen && value !== '-' && value !== '') {
        scan.forwardedFor = value
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s.length > 0)
      }
      forwardedSeen = true
      i = end < 0 ? trailer.length : end + 1
      continue
    }
    let end = trailer.indexOf(' ', i)
    if (end < 0) end = trailer.length
    let token = trailer.slice(i, end)
    if (token.startsWith('rt=')) token = token.slice(3)
    else if (token.startsWith('request_time=')) token = token.slice(13)
    const nanos = scan.durationNanos === undefined ? secondsToNanos(token) : NaN
    if (!Number.isNaN(nanos)) scan.durationNanos = nanos
    i = end
  }
}
