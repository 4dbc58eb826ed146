import { compileFormat, type CompiledFormat, type FieldSpec, type FormatPart, LogFormatProblem } from './compile.js'
import {
  accessTimeSetter,
  at,
  durationSetter,
  epochSetter,
  keywordList,
  long,
  setBodyBytes,
  setDestination,
  setMethod,
  setProtocol,
  setReferrer,
  setRequestLine,
  setSource,
  setStatus,
  setTlsProtocol,
  setUser,
  setUserAgent,
  snakeName,
  unescaped,
  URL_FIELDS,
} from './ecs.js'

/**
 * Apache `LogFormat` strings (mod_log_config, with mod_logio's `%I %O %S` and mod_ssl's
 * `%{VAR}x`): `%X`, `%{arg}X`, with the optional `<`/`>` and status-condition modifiers
 * (`%>s`, `%400,501{User-agent}i`), and `%%` for a percent sign. Directives with an ECS home
 * fill the same fields as the built-in `apache.access` parser; the others go to
 * `apache.access.*`. A directive apache does not have is a config error.
 */
type Known = Omit<FieldSpec, 'token'>

const keyword = (path: string): Known => ({ fields: [path], type: 'keyword', set: at(path) })
const longField = (path: string): Known => ({ fields: [path], type: 'long', set: at(path, long) })

function directive(letter: string, arg: string | undefined, token: string, key: string): Known {
  switch (letter) {
    case 'h':
      return { fields: ['source.address', 'source.ip', 'source.domain'], type: 'keyword', set: setSource }
    case 'a':
      return arg === 'c' ? keyword('apache.access.peer_ip') : { fields: ['source.address', 'source.ip'], type: 'keyword', set: setSource }
    case 'A':
      return { fields: ['destination.address', 'destination.ip'], type: 'keyword', set: setDestination }
    case 'l':
      return keyword('apache.access.ident')
    case 'u':
      return { fields: ['user.name'], type: 'keyword', set: setUser }
    case 't':
      return timeDirective(arg, token, key)
    case 'r':
      return { fields: ['http.request.method', 'http.version', ...URL_FIELDS], type: 'keyword', types: { 'url.port': 'long' }, set: setRequestLine }
    case 's':
      return { fields: ['http.response.status_code', 'event.outcome'], type: 'long', types: { 'event.outcome': 'keyword' }, set: setStatus }
    case 'b':
    case 'B':
      return { fields: ['http.response.body.bytes'], type: 'long', set: setBodyBytes }
    case 'O':
      return longField('http.response.bytes')
    case 'I':
      return longField('http.request.bytes')
    case 'S':
      return longField('apache.access.bytes_transferred')
    case 'D':
      return duration(1e6)
    case 'T': {
      const units: Record<string, number> = { s: 1, ms: 1e3, us: 1e6 }
      const perSecond = arg === undefined ? 1 : units[arg]
      if (perSecond === undefined) throw new LogFormatProblem(`${token}: unknown unit ${JSON.stringify(arg)}; apache's %{UNIT}T takes s, ms or us`, key)
      return duration(perSecond)
    }
    case 'i':
      return requestHeader(needArg(arg, token, key))
    case 'o':
      return { fields: [`apache.access.sent_http_${snakeName(needArg(arg, token, key))}`], type: 'keyword', set: at(`apache.access.sent_http_${snakeName(arg!)}`, unescaped) }
    case 'C':
      return keyword(`apache.access.cookie_${snakeName(needArg(arg, token, key))}`)
    case 'e':
      return keyword(`apache.access.env.${needArg(arg, token, key)}`)
    case 'n':
      return keyword(`apache.access.note.${needArg(arg, token, key)}`)
    case 'x':
    case 'c':
      return sslVariable(needArg(arg, token, key))
    case 'f':
      return keyword('apache.access.file')
    case 'H':
      return { fields: ['http.version'], type: 'keyword', set: setProtocol }
    case 'k':
      return longField('apache.access.keepalive_requests')
    case 'L':
      return keyword('apache.access.log_id')
    case 'm':
      return { fields: ['http.request.method'], type: 'keyword', set: setMethod }
    case 'p':
      return arg === 'remote' ? longField('source.port') : longField('destination.port')
    case 'P':
      return arg === 'tid' || arg === 'hextid' ? keyword('process.thread.id') : longField('process.pid')
    case 'q':
      return { fields: ['url.query'], type: 'keyword', set: at('url.query', (v) => (v.startsWith('?') ? v.slice(1) : v)), lead: '?' }
    case 'R':
      return keyword('apache.access.handler')
    case 'U':
      return keyword('url.path')
    case 'v':
    case 'V':
      return keyword('destination.domain')
    case 'X':
      return keyword('apache.access.connection_status')
    default:
      throw new LogFormatProblem(`unknown directive ${token}: apache's LogFormat has no %${letter} (see the mod_log_config manual); write a literal percent sign as %%`, key)
  }
}

/** `event.duration` (ns) from a count of units per second; `unitsPerSecond` lets the finest of several win (apacheFormatParts). */
function duration(unitsPerSecond: number): Known & { unitsPerSecond: number } {
  return { fields: ['event.duration'], type: 'long', set: durationSetter(unitsPerSecond), unitsPerSecond }
}

const UNIT_NAMES: Record<number, string> = { 1: 's', 1000: 'ms', 1000000: 'us' }

/**
 * A format with several request times (`%D` and `%T`): the finest fills `event.duration`, the
 * others `apache.access.time_taken.<unit>` as written, so a coarse 0 never hides a real value.
 */
function finestDuration(parts: FormatPart[]): FormatPart[] {
  const units = (p: FormatPart) => ('field' in p ? (p.field as { unitsPerSecond?: number }).unitsPerSecond : undefined)
  const all = parts.map(units).filter((u): u is number => u !== undefined)
  if (all.length < 2) return parts
  const finest = Math.max(...all)
  let kept = false
  return parts.map((p) => {
    const u = units(p)
    if (u === undefined || !('field' in p)) return p
    if (u === finest && !kept) {
      kept = true
      return p
    }
    const path = `apache.access.time_taken.${UNIT_NAMES[u]}`
    return { field: { ...p.field, fields: [path], set: at(path, long) } }
  })
}

function needArg(arg: string | undefined, token: string, key: string): string {
  if (arg === undefined || arg === '') throw new LogFormatProblem(`${token} needs a name in braces, such as %{User-Agent}${token.at(-1)}`, key)
  return arg
}

function requestHeader(name: string): Known {
  const lower = name.toLowerCase()
  if (lower === 'referer' || lower === 'referrer') return { fields: ['http.request.referrer'], type: 'keyword', set: setReferrer }
  if (lower === 'user-agent') return { fields: ['user_agent.original'], type: 'keyword', set: setUserAgent }
  if (lower === 'x-forwarded-for') return { fields: ['apache.access.x_forwarded_for'], type: 'keyword[]', set: at('apache.access.x_forwarded_for', keywordList), list: true }
  const path = `apache.access.http_${snakeName(name)}`
  return { fields: [path], type: 'keyword', set: at(path, unescaped) }
}

function sslVariable(name: string): Known {
  if (name === 'SSL_PROTOCOL') return { fields: ['tls.version', 'tls.version_protocol'], type: 'keyword', set: setTlsProtocol }
  if (name === 'SSL_CIPHER') return keyword('tls.cipher')
  if (name === 'SSL_TLS_SNI') return keyword('tls.client.server_name')
  return keyword(`apache.access.ssl.${name.toLowerCase()}`)
}

function timeDirective(arg: string | undefined, token: string, key: string): Known {
  if (arg === undefined) return { fields: ['@timestamp'], type: 'date', set: accessTimeSetter(true), width: 28 }
  const epoch: Record<string, number> = { sec: 1, msec: 1e3, usec: 1e6 }
  if (epoch[arg] !== undefined) return { fields: ['@timestamp'], type: 'date', set: epochSetter(epoch[arg]) }
  if (arg.includes('%') || arg.startsWith('begin:') || arg.startsWith('end:')) return keyword('apache.access.time')
  throw new LogFormatProblem(`${token}: expected sec, msec, usec or a strftime format such as %{%Y-%m-%dT%H:%M:%S}t`, key)
}

export interface ApacheFormatOptions {
  /** The config key errors point at. @default 'logFormat' */
  key?: string
}

/** The parts of a LogFormat string. Throws LogFormatProblem naming a directive apache does not have. */
function apacheFormatParts(format: string, options: ApacheFormatOptions = {}): FormatPart[] {
  const key = options.key ?? 'logFormat'
  const parts: FormatPart[] = []
  let literal = ''
  let i = 0
  while (i < format.length) {
    const c = format[i]!
    if (c === '\\' && i + 1 < format.length) {
      // apache's LogFormat takes C-style escapes: \" \n \t \\
      const next = format[i + 1]!
      literal += next === 'n' ? '\n' : next === 't' ? '\t' : next
      i += 2
      continue
    }
    if (c !== '%') {
      literal += c
      i++
      continue
    }
    const start = i
    i++
    if (format[i] === '%') {
      literal += '%'
      i++
      continue
    }
    // modifiers: < > and an optional (!)status list, in any order before {arg} and the letter
    while (i < format.length && /[<>!,0-9]/.test(format[i]!)) i++
    let arg: string | undefined
    if (format[i] === '{') {
      const close = format.indexOf('}', i)
      if (close < 0) throw new LogFormatProblem(`${format.slice(start)}: the "{" after % is not closed`, key)
      arg = format.slice(i + 1, close)
      i = close + 1
    }
    while (i < format.length && /[<>]/.test(format[i]!)) i++
    // %^ti / %^to (trailers) and mod_logio's %^FB: a two-letter directive after ^
    let letter = format[i]
    if (letter === '^') {
      letter = format.slice(i, i + 3)
      i += 3
    } else i++
    if (letter === undefined || letter === '') throw new LogFormatProblem(`the format ends with "${format.slice(start)}": expected a directive letter after %`, key)
    const token = format.slice(start, i)
    if (literal.length > 0) parts.push({ literal })
    literal = ''
    parts.push({ field: { token, ...caretDirective(letter, arg, token, key) } })
  }
  if (literal.length > 0) parts.push({ literal })
  return finestDuration(parts)
}

function caretDirective(letter: string, arg: string | undefined, token: string, key: string): Known {
  if (letter === '^ti') return keyword(`apache.access.trailer_in.${snakeName(needArg(arg, token, key))}`)
  if (letter === '^to') return keyword(`apache.access.trailer_out.${snakeName(needArg(arg, token, key))}`)
  if (letter === '^FB') return { fields: ['apache.access.first_byte_us'], type: 'long', set: at('apache.access.first_byte_us', long) }
  if (letter === '^FU') return { fields: ['apache.access.first_upstream_byte_us'], type: 'long', set: at('apache.access.first_upstream_byte_us', long) }
  return directive(letter, arg, token, key)
}

/** A parser for lines written with this LogFormat: the apache.access fields for every directive it knows. */
export function compileApacheFormat(format: string, options: ApacheFormatOptions = {}): CompiledFormat {
  return compileFormat(apacheFormatParts(format, options), { module: 'apache', dataset: 'apache.access', key: options.key ?? 'logFormat', what: 'directive' })
}
