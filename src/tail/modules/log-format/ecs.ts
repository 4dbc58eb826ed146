import type { ParsedFields } from '../types.js'
import { accessTime } from '../access-scan.js'
import { unescapeLogText } from '../escapes.js'
import { addressFields } from '../ip.js'
import { parseRequestLine } from '../request-line.js'
import { secondsToNanos } from '../time.js'
import { splitUrl } from '../url.js'

/**
 * Setters both dialects share: they write the same ECS fields, in the same shapes, as the
 * hand-written access-log parser (access-log.ts), so a compiled `combined` format and the
 * built-in module give the same document.
 */
type Fields = Record<string, unknown>
export type Setter = (fields: ParsedFields, value: string) => void

/** `parent[key]`, created as an object on first use. */
function child(parent: Fields, key: string): Fields {
  // only setters write these keys, and they only write objects there
  const existing = parent[key] as Fields | undefined
  if (existing !== undefined) return existing
  const made: Fields = {}
  parent[key] = made
  return made
}

/** Sets a dotted path (`nginx.access.upstream.status`), made once per format. */
export function at(path: string, convert: (value: string) => unknown = (v) => v): Setter {
  const keys = path.split('.')
  const last = keys.pop()!
  return (fields, value) => {
    const converted = convert(value)
    if (converted === undefined) return
    let target: Fields = fields
    for (const key of keys) target = child(target, key)
    target[last] = converted
  }
}

/** A whole number, or undefined (nothing set). */
export function long(value: string): number | undefined {
  if (value.length > 15) return undefined
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c < 48 || c > 57) return undefined
  }
  return Number(value)
}

export function float(value: string): number | undefined {
  const n = Number(value)
  return value.length > 0 && Number.isFinite(n) ? n : undefined
}

export const unescaped = (value: string): string => unescapeLogText(value)

/** `a, b, c` → `['a', 'b', 'c']` (`-` entries left out). */
export function keywordList(value: string): string[] | undefined {
  const list = value
    .split(/, | : /)
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== '-')
  return list.length > 0 ? list : undefined
}

/** nginx's upstream times: seconds, a list when several upstreams were tried (`0.004, 0.120`). */
export function secondsList(value: string): number | number[] | undefined {
  const list = value.split(/, | : /).map((s) => (s === '-' ? Number.NaN : Number(s)))
  if (!list.every((n) => Number.isFinite(n))) return undefined
  return list.length === 1 ? list[0] : list
}

// Named-property versions of child() for the fields every access line fills: a keyed load
// (`parent[key]`) on objects of many shapes was a tenth of the parse time.
function httpOf(fields: ParsedFields): Fields {
  let http = fields.http as Fields | undefined
  if (http === undefined) fields.http = http = {}
  return http
}

function requestOf(fields: ParsedFields): Fields {
  const http = httpOf(fields)
  let request = http.request as Fields | undefined
  if (request === undefined) http.request = request = {}
  return request
}

function responseOf(fields: ParsedFields): Fields {
  const http = httpOf(fields)
  let response = http.response as Fields | undefined
  if (response === undefined) http.response = response = {}
  return response
}

export const setSource: Setter = (fields, value) => {
  const source = addressFields(value)
  if (source) fields.source = fields.source === undefined ? source : Object.assign(fields.source as Fields, source)
}

export const setDestination: Setter = (fields, value) => {
  const destination = addressFields(value)
  if (destination) fields.destination = fields.destination === undefined ? destination : Object.assign(fields.destination as Fields, destination)
}

export const setUser: Setter = (fields, value) => {
  fields.user = { name: unescapeLogText(value) }
}

/** `[10/Oct/2000:13:55:36 -0700]` (apache `%t`) or without the brackets (nginx `$time_local`), each distinct text converted once. */
export function accessTimeSetter(bracketed: boolean): Setter {
  let lastText = ''
  let lastIso = ''
  return (fields, value) => {
    if (value !== lastText) {
      const iso = accessTime(bracketed ? value.slice(1, -1) : value)
      if (iso === '') return
      lastText = value
      lastIso = iso
    }
    fields['@timestamp'] = lastIso
  }
}

/** ISO-8601 with an offset (`$time_iso8601`). */
export const setIsoTime: Setter = (fields, value) => {
  const ms = Date.parse(value)
  if (Number.isFinite(ms)) fields['@timestamp'] = new Date(ms).toISOString()
}

/** Seconds since the epoch, with a fraction (`$msec`, apache `%{sec}t`). */
export function epochSetter(unitsPerSecond: number): Setter {
  return (fields, value) => {
    const n = Number(value)
    if (value.length > 0 && Number.isFinite(n)) fields['@timestamp'] = new Date(Math.round((n * 1000) / unitsPerSecond)).toISOString()
  }
}

/** What a request target can fill: origin-form `/a?b#c`, absolute-form `http://host:port/...` (proxies), authority-form `host:443` (CONNECT). */
export const URL_FIELDS = ['url.original', 'url.scheme', 'url.domain', 'url.port', 'url.path', 'url.query', 'url.fragment']

/** The request line: `http.request.method`, `http.version`, `url.*` (as the built-in parsers). */
export const setRequestLine: Setter = (fields, value) => {
  const request = parseRequestLine(value)
  if (request === undefined) return
  requestOf(fields).method = request.method
  if (request.version !== undefined) httpOf(fields).version = request.version
  if (request.target.length > 0) {
    const original = unescapeLogText(request.target)
    fields.url = fields.url === undefined ? splitUrl(original, { original }) : splitUrl(original, { ...(fields.url as object), original })
  }
}

/** A request target alone (`$request_uri`): `url.original` and its parts. */
export const setTarget: Setter = (fields, value) => {
  const original = unescapeLogText(value)
  fields.url = splitUrl(original, { ...(fields.url as object | undefined), original })
}

export const setMethod: Setter = (fields, value) => {
  requestOf(fields).method = value
}

export const setProtocol: Setter = (fields, value) => {
  httpOf(fields).version = value.startsWith('HTTP/') ? value.slice(5) : value
}

export const setStatus: Setter = (fields, value) => {
  const status = long(value)
  if (status === undefined) return
  responseOf(fields).status_code = status
  ;(fields.event as Fields).outcome = status >= 400 ? 'failure' : 'success' // every parse starts with event
}

export const setBodyBytes: Setter = (fields, value) => {
  const bytes = long(value)
  if (bytes !== undefined) responseOf(fields).body = { bytes }
}

export const setReferrer: Setter = (fields, value) => {
  requestOf(fields).referrer = unescapeLogText(value)
}

export const setUserAgent: Setter = (fields, value) => {
  fields.user_agent = { original: unescapeLogText(value) }
}

/** `event.duration` in nanoseconds from a count of `unit`s per second (1: seconds, 1e6: microseconds). */
export function durationSetter(unitsPerSecond: number): Setter {
  return (fields, value) => {
    const nanos = unitsPerSecond === 1 ? secondsToNanos(value) : long(value) === undefined ? Number.NaN : Number(value) * (1e9 / unitsPerSecond)
    if (!Number.isNaN(nanos)) (fields.event as Fields).duration = nanos
  }
}

/** `TLSv1.3` → `tls.version: 1.3`, `tls.version_protocol: tls` (ECS). */
export const setTlsProtocol: Setter = (fields, value) => {
  const m = /^(TLS|SSL)v?(\d(?:\.\d)?)$/.exec(value)
  if (m) Object.assign(child(fields, 'tls'), { version: m[2], version_protocol: m[1]!.toLowerCase() })
}

/** `Header-Name` → `header_name` (nginx's spelling of header variables). */
export function snakeName(header: string): string {
  return header.toLowerCase().replace(/[^a-z0-9]+/g, '_')
}
