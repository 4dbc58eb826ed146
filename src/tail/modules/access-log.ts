import { type ParsedFields, type Parser, parseFailure, withoutLineEnd } from './types.js'
import { digitsAt, isoText, monthAt, offsetMinutes, secondsToNanos, validFields } from './time.js'
import { addressFields, isIP, splitHostPort } from './ip.js'
import { closingQuote, unescapeLogText } from './escapes.js'
import { splitUrl } from './url.js'
import { parseRequestLine } from './request-line.js'

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
 */
export interface AccessFlavour {
  readonly module: 'nginx' | 'apache'
  readonly dataset: string
  /** Read nginx's trailing `"$http_x_forwarded_for"` and `$request_time`. */
  readonly nginxTrailer: boolean
}

const TIME_LENGTH = 26 // 10/Oct/2000:13:55:36 -0700

export function createAccessParser(flavour: AccessFlavour): Parser {
  const { module, dataset } = flavour
  const fail = (reason: string) => parseFailure(dataset, module, reason)
  // Busy logs repeat the same second many times: convert each distinct time text once.
  let lastTimeText = ''
  let lastIso = ''

  return (input) => {
    const line = withoutLineEnd(input)
    const open = line.indexOf(' [')
    if (open < 0) return fail('no "[time]" field: expected the common or combined log format (client ident user [time] "request" status bytes)')
    const userSpace = line.lastIndexOf(' ', open - 1)
    const identSpace = userSpace > 0 ? line.lastIndexOf(' ', userSpace - 1) : -1
    if (identSpace <= 0) return fail('expected client address, ident and user before "[time]"')

    const timeStart = open + 2
    if (line.charCodeAt(timeStart + TIME_LENGTH) !== 93 /* ] */) return fail('expected the time as [day/Mon/year:hh:mm:ss +zone]')
    const timeText = line.slice(timeStart, timeStart + TIME_LENGTH)
    if (timeText !== lastTimeText) {
      const iso = accessTime(timeText)
      if (iso === '') return fail(`unreadable time "${timeText}"; expected day/Mon/year:hh:mm:ss +zone`)
      lastTimeText = timeText
      lastIso = iso
    }

    let at = timeStart + TIME_LENGTH + 1
    if (line.charCodeAt(at) !== 32 || line.charCodeAt(at + 1) !== 34) return fail('expected a quoted "request" after the time')
    const requestStart = at + 2
    // The request ends at the quote followed by ` NNN ` (the status), so an unescaped quote
    // inside the request (nginx escape=none, broken clients) does not end it early.
    let requestEnd = closingQuote(line, requestStart)
    while (requestEnd >= 0 && !statusFollows(line, requestEnd + 1)) requestEnd = closingQuote(line, requestEnd + 1)
    if (requestEnd < 0) return fail('expected "request" followed by a three-digit status and the body size')
    const status = digitsAt(line, requestEnd + 2, 3)
    at = requestEnd + 6
    let bytesEnd = line.indexOf(' ', at)
    if (bytesEnd < 0) bytesEnd = line.length
    const bytesText = line.slice(at, bytesEnd)
    const bytes = bytesText === '-' ? undefined : wholeNumber(bytesText)
    if (bytes === -1) return fail(`body size "${bytesText}" is neither a number nor "-"`)

    let referrer: string | undefined
    let agent: string | undefined
    let trailer = ''
    if (bytesEnd < line.length) {
      if (line.charCodeAt(bytesEnd + 1) !== 34) return fail('expected a quoted "referrer" after the body size (combined format) or the end of the line (common format)')
      const referrerEnd = closingQuote(line, bytesEnd + 2)
      if (referrerEnd < 0 || line.charCodeAt(referrerEnd + 1) !== 32 || line.charCodeAt(referrerEnd + 2) !== 34)
        return fail('expected quoted "referrer" and "user agent" after the body size')
      const agentEnd = closingQuote(line, referrerEnd + 3)
      if (agentEnd < 0) return fail('the quoted "user agent" is not closed')
      referrer = quotedValue(line.slice(bytesEnd + 2, referrerEnd))
      agent = quotedValue(line.slice(referrerEnd + 3, agentEnd))
      trailer = line.slice(agentEnd + 1)
    }

    const event: Record<string, unknown> = {
      module,
      dataset,
      kind: 'event',
      category: ['web'],
      type: ['access'],
      outcome: status >= 400 ? 'failure' : 'success',
    }
    const response: Record<string, unknown> = { status_code: status }
    if (bytes !== undefined) response.body = { bytes }
    const http: Record<string, unknown> = { response }
    const fields: ParsedFields = { '@timestamp': lastIso, event, http }

    addAddresses(fields, line.slice(0, identSpace), module)
    const user = line.slice(userSpace + 1, open)
    if (user !== '-' && user !== '') fields.user = { name: unescapeLogText(user) }
    let request = addRequest(fields, http, line.slice(requestStart, requestEnd))
    if (referrer !== undefined) (request ??= {}).referrer = referrer
    if (request) http.request = request
    if (agent !== undefined) fields.user_agent = { original: agent }
    if (flavour.nginxTrailer && trailer.length > 0) addNginxTrailer(fields, event, trailer)
    return fields
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
function addAddresses(fields: ParsedFields, text: string, module: string): void {
  let client = text
  if (text.includes(',')) {
    const list = text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0 && s !== '-')
    if (list.length > 0) accessFields(fields, module).remote_ip_list = list
    client = list[0] ?? '-'
  } else {
    const space = text.lastIndexOf(' ')
    if (space > 0) {
      client = text.slice(space + 1)
      const { host, port } = splitHostPort(text.slice(0, text.indexOf(' ')), true)
      const destination: Record<string, unknown> = isIP(host) ? { ip: host } : { domain: host }
      if (port !== undefined) destination.port = port
      fields.destination = destination
    }
  }
  const source = addressFields(client)
  if (source) fields.source = source
}

/** `<module>.access`, created on first use. */
function accessFields(fields: ParsedFields, module: string): Record<string, unknown> {
  const own = (fields[module] ??= {}) as Record<string, unknown>
  return (own.access ??= {}) as Record<string, unknown>
}

/** Sets `http.version` and `url.*`; returns `http.request` with the method. */
function addRequest(fields: ParsedFields, http: Record<string, unknown>, raw: string): Record<string, unknown> | undefined {
  if (raw === '-' || raw === '') return undefined
  const request = parseRequestLine(raw)
  if (request === undefined) return undefined
  if (request.version !== undefined) http.version = request.version
  if (request.target.length > 0) {
    const original = unescapeLogText(request.target)
    fields.url = splitUrl(original, { original })
  }
  return { method: request.method }
}

/** nginx after the agent: `"$http_x_forwarded_for"`, `$request_time`, `rt=0.123`. */
function addNginxTrailer(fields: ParsedFields, event: Record<string, unknown>, trailer: string): void {
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
        accessFields(fields, 'nginx').x_forwarded_for = value
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
    const nanos = event.duration === undefined ? secondsToNanos(token) : NaN
    if (!Number.isNaN(nanos)) event.duration = nanos
    i = end
  }
}
