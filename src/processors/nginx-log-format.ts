import { accessTime } from '../tail/modules/access-log.js'
import { unescapeLogText } from '../tail/modules/escapes.js'
import { addressFields } from '../tail/modules/ip.js'
import { parseRequestLine } from '../tail/modules/request-line.js'
import { secondsToNanos } from '../tail/modules/time.js'
import { splitUrl } from '../tail/modules/url.js'
import { matchDissect, type DissectKey, type DissectPattern } from './dissect-pattern.js'
import { fieldPath, getField, setField } from './fields.js'
import { ProcessorConfigProblem } from './types.js'

/**
 * nginx `log_format` strings compiled into a parser: each `$variable` takes the text up to the
 * literal text after it (as dissect does), and the variables nginx's own modules know become
 * the same ECS fields as the built-in nginx.access parser. Other variables land in
 * `nginx.access.<name>`. A `-` (nginx's "no value") sets nothing.
 */
type Setter = (fields: Record<string, unknown>, value: string) => void

const put =
  (name: string): Setter =>
  (f, v) =>
    setField(f, fieldPath(name), v)
const putInt =
  (name: string): Setter =>
  (f, v) => {
    const n = Number(v)
    if (Number.isInteger(n)) setField(f, fieldPath(name), n)
  }
const putSeconds =
  (name: string): Setter =>
  (f, v) => {
    // upstream times are lists when several upstreams were tried: "0.004, 0.120"
    const list = v.split(/[,:] ?/).map((s) => Number(s.trim()))
    if (list.every((n) => Number.isFinite(n))) setField(f, fieldPath(name), list.length === 1 ? list[0] : list)
  }
const putList =
  (name: string): Setter =>
  (f, v) =>
    setField(
      f,
      fieldPath(name),
      v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '' && s !== '-'),
    )

/** The variables with an ECS home (as the nginx.access parser fills them). */
const KNOWN: Record<string, Setter> = {
  remote_addr: (f, v) => {
    const source = addressFields(v)
    if (source) setField(f, ['source'], { ...(getField(f, ['source']) as object), ...source })
  },
  remote_port: putInt('source.port'),
  remote_user: (f, v) => setField(f, ['user', 'name'], unescapeLogText(v)),
  time_local: (f, v) => {
    const iso = accessTime(v)
    if (iso !== '') f['@timestamp'] = iso
  },
  time_iso8601: (f, v) => {
    const ms = Date.parse(v)
    if (Number.isFinite(ms)) f['@timestamp'] = new Date(ms).toISOString()
  },
  msec: (f, v) => {
    const ms = Number(v) * 1000
    if (Number.isFinite(ms)) f['@timestamp'] = new Date(Math.round(ms)).toISOString()
  },
  request: (f, v) => {
    const line = parseRequestLine(v)
    if (!line) return
    setField(f, ['http', 'request', 'method'], line.method)
    if (line.version !== undefined) setField(f, ['http', 'version'], line.version)
    if (line.target.length > 0) {
      const original = unescapeLogText(line.target)
      f.url = splitUrl(original, { original })
    }
  },
  request_method: put('http.request.method'),
  request_uri: (f, v) => {
    const original = unescapeLogText(v)
    f.url = splitUrl(original, { ...(getField(f, ['url']) as object), original })
  },
  uri: put('url.path'),
  args: put('url.query'),
  query_string: put('url.query'),
  server_protocol: (f, v) => setField(f, ['http', 'version'], v.startsWith('HTTP/') ? v.slice(5) : v),
  status: (f, v) => {
    const n = Number(v)
    if (!Number.isInteger(n)) return
    setField(f, ['http', 'response', 'status_code'], n)
    setField(f, ['event', 'outcome'], n >= 400 ? 'failure' : 'success')
  },
  body_bytes_sent: putInt('http.response.body.bytes'),
  bytes_sent: putInt('http.response.bytes'),
  request_length: putInt('http.request.bytes'),
  http_referer: (f, v) => setField(f, ['http', 'request', 'referrer'], unescapeLogText(v)),
  http_user_agent: (f, v) => setField(f, ['user_agent', 'original'], unescapeLogText(v)),
  http_x_forwarded_for: putList('nginx.access.x_forwarded_for'),
  request_time: (f, v) => {
    const nanos = secondsToNanos(v)
    if (!Number.isNaN(nanos)) setField(f, ['event', 'duration'], nanos)
  },
  upstream_response_time: putSeconds('nginx.access.upstream.response_time'),
  upstream_connect_time: putSeconds('nginx.access.upstream.connect_time'),
  upstream_header_time: putSeconds('nginx.access.upstream.header_time'),
  upstream_addr: putList('nginx.access.upstream.address'),
  upstream_status: putList('nginx.access.upstream.status'),
  host: put('url.domain'),
  server_name: put('url.domain'),
  server_port: putInt('destination.port'),
  server_addr: put('destination.address'),
  scheme: put('url.scheme'),
  ssl_protocol: (f, v) => {
    // TLSv1.3 → tls.version 1.3, tls.version_protocol tls (ECS)
    const m = /^(TLS|SSL)v?(\d(?:\.\d)?)$/.exec(v)
    if (m) setField(f, ['tls'], { ...(getField(f, ['tls']) as object), version: m[2], version_protocol: m[1]!.toLowerCase() })
  },
  ssl_cipher: put('tls.cipher'),
  ssl_server_name: put('tls.client.server_name'),
}

/** The ECS field each known variable fills (for docs and `fieldsOf`). */
const KNOWN_FIELDS: Record<string, string> = {
  remote_addr: 'source.address, source.ip',
  remote_port: 'source.port',
  remote_user: 'user.name',
  time_local: '@timestamp',
  time_iso8601: '@timestamp',
  msec: '@timestamp',
  request: 'http.request.method, url.*, http.version',
  request_method: 'http.request.method',
  request_uri: 'url.original, url.path, url.query',
  uri: 'url.path',
  args: 'url.query',
  query_string: 'url.query',
  server_protocol: 'http.version',
  status: 'http.response.status_code, event.outcome',
  body_bytes_sent: 'http.response.body.bytes',
  bytes_sent: 'http.response.bytes',
  request_length: 'http.request.bytes',
  http_referer: 'http.request.referrer',
  http_user_agent: 'user_agent.original',
  http_x_forwarded_for: 'nginx.access.x_forwarded_for',
  request_time: 'event.duration (ns)',
  upstream_response_time: 'nginx.access.upstream.response_time (s)',
  upstream_connect_time: 'nginx.access.upstream.connect_time (s)',
  upstream_header_time: 'nginx.access.upstream.header_time (s)',
  upstream_addr: 'nginx.access.upstream.address',
  upstream_status: 'nginx.access.upstream.status',
  host: 'url.domain',
  server_name: 'url.domain',
  server_port: 'destination.port',
  server_addr: 'destination.address',
  scheme: 'url.scheme',
  ssl_protocol: 'tls.version, tls.version_protocol',
  ssl_cipher: 'tls.cipher',
  ssl_server_name: 'tls.client.server_name',
}

const VARIABLE = /\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g

export interface CompiledLogFormat {
  /** The ECS fields of one line, or undefined when the line does not have the format's shape. */
  parse(line: string): Record<string, unknown> | undefined
  /** `[variable, field]` for every variable of the format, in order. */
  readonly fields: readonly (readonly [string, string])[]
}

/** Throws ProcessorConfigProblem at ['format'] when the format cannot be split. */
export function compileNginxLogFormat(format: string): CompiledLogFormat {
  const keys: DissectKey[] = []
  let prefix = ''
  let last = 0
  const names: string[] = []
  for (const m of format.matchAll(VARIABLE)) {
    const name = (m[1] ?? m[2])!
    const literal = format.slice(last, m.index)
    if (keys.length === 0) prefix = literal
    else if (literal === '')
      throw new ProcessorConfigProblem(['format'], `$${names.at(-1)} and $${name} have no text between them; the parser needs a separator to know where one ends`)
    else keys[keys.length - 1] = { ...keys.at(-1)!, delimiter: literal }
    keys.push({ name, kind: 'normal', order: keys.length, padding: false, conversion: undefined, delimiter: '' })
    names.push(name)
    last = m.index + m[0].length
  }
  if (keys.length === 0)
    throw new ProcessorConfigProblem(['format'], 'expected a log_format with variables, such as \'$remote_addr - $remote_user [$time_local] "$request" $status\'')
  keys[keys.length - 1] = { ...keys.at(-1)!, delimiter: format.slice(last) }
  const pattern: DissectPattern = { prefix, keys }
  // header values are escaped by nginx (a quote is \x22): unescaped like the known text fields
  const setters = names.map(
    (name) =>
      KNOWN[name] ??
      (name.startsWith('http_') ? (f: Record<string, unknown>, v: string) => setField(f, ['nginx', 'access', name], unescapeLogText(v)) : put(`nginx.access.${name}`)),
  )
  return {
    fields: names.map((n) => [n, KNOWN_FIELDS[n] ?? `nginx.access.${n}`] as const),
    parse(line) {
      const values = matchDissect(pattern, line.endsWith('\n') ? line.slice(0, line.endsWith('\r\n') ? -2 : -1) : line)
      if (values === undefined) return undefined
      const fields: Record<string, unknown> = { event: { module: 'nginx', dataset: 'nginx.access', kind: 'event', category: ['web'], type: ['access'] } }
      for (let i = 0; i < values.length; i++) {
        const v = values[i]!
        if (v !== '-' && v !== '') setters[i]!(fields, v)
      }
      return fields
    },
  }
}
