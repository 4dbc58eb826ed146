import { compileFormat, type CompiledFormat, type FieldSpec, type FormatPart, LogFormatProblem } from './compile.js'
import {
  accessTimeSetter,
  at,
  durationSetter,
  epochSetter,
  float,
  keywordList,
  long,
  secondsList,
  setBodyBytes,
  setDestination,
  setIsoTime,
  setMethod,
  setProtocol,
  setReferrer,
  setRequestLine,
  setSource,
  setStatus,
  setTarget,
  setTlsProtocol,
  setUser,
  setUserAgent,
  type Setter,
  unescaped,
  URL_FIELDS,
} from './ecs.js'
import { closestName } from './closest.js'

/**
 * nginx `log_format` strings: `$name` and `${name}` are variables, everything else is literal
 * text. The variables nginx's modules define with an ECS home fill the same fields as the
 * built-in `nginx.access` parser; the others nginx knows (and those the config declares under
 * `variables`, made with `map` or `set`) go to `nginx.access.<name>`. A name nginx does not
 * know is a config error: nginx itself refuses to load such a format.
 */
type Known = Omit<FieldSpec, 'token'>

const keyword = (path: string, set: Setter = at(path)): Known => ({ fields: [path], type: 'keyword', set })
const longField = (path: string): Known => ({ fields: [path], type: 'long', set: at(path, long) })
const upstreamTimes = (name: string): Known => ({ fields: [`nginx.access.upstream.${name}`], type: 'float', set: at(`nginx.access.upstream.${name}`, secondsList), list: true })
const upstreamList = (name: string): Known => ({ fields: [`nginx.access.upstream.${name}`], type: 'keyword[]', set: at(`nginx.access.upstream.${name}`, keywordList), list: true })

const KNOWN: Readonly<Record<string, Known>> = {
  remote_addr: { fields: ['source.address', 'source.ip'], type: 'keyword', set: setSource },
  remote_port: longField('source.port'),
  remote_user: keyword('user.name', setUser),
  time_local: { fields: ['@timestamp'], type: 'date', set: accessTimeSetter(false), width: 26 },
  time_iso8601: { fields: ['@timestamp'], type: 'date', set: setIsoTime, width: 25 },
  msec: { fields: ['@timestamp'], type: 'date', set: epochSetter(1) },
  request: { fields: ['http.request.method', 'http.version', ...URL_FIELDS], type: 'keyword', types: { 'url.port': 'long' }, set: setRequestLine },
  request_method: keyword('http.request.method', setMethod),
  request_uri: { fields: URL_FIELDS, type: 'keyword', types: { 'url.port': 'long' }, set: setTarget },
  uri: keyword('url.path'),
  is_args: { fields: [], type: 'keyword', set: () => {}, lead: '?', maxWidth: 1 },
  args: { ...keyword('url.query'), dashWhenEmpty: true },
  query_string: keyword('url.query'),
  server_protocol: keyword('http.version', setProtocol),
  status: { fields: ['http.response.status_code', 'event.outcome'], type: 'long', types: { 'event.outcome': 'keyword' }, set: setStatus },
  body_bytes_sent: { fields: ['http.response.body.bytes'], type: 'long', set: setBodyBytes },
  bytes_sent: longField('http.response.bytes'),
  request_length: longField('http.request.bytes'),
  http_referer: keyword('http.request.referrer', setReferrer),
  http_user_agent: keyword('user_agent.original', setUserAgent),
  http_x_forwarded_for: { fields: ['nginx.access.x_forwarded_for'], type: 'keyword[]', set: at('nginx.access.x_forwarded_for', keywordList), list: true },
  request_time: { fields: ['event.duration'], type: 'long', set: durationSetter(1) },
  request_id: keyword('http.request.id'),
  upstream_response_time: upstreamTimes('response_time'),
  upstream_connect_time: upstreamTimes('connect_time'),
  upstream_header_time: upstreamTimes('header_time'),
  upstream_queue_time: upstreamTimes('queue_time'),
  upstream_addr: upstreamList('address'),
  upstream_status: upstreamList('status'),
  upstream_cache_status: keyword('nginx.access.upstream.cache_status'),
  host: keyword('url.domain'),
  server_name: keyword('url.domain'),
  server_port: longField('destination.port'),
  server_addr: { fields: ['destination.address', 'destination.ip'], type: 'keyword', set: setDestination },
  scheme: keyword('url.scheme'),
  ssl_protocol: { fields: ['tls.version', 'tls.version_protocol'], type: 'keyword', set: setTlsProtocol },
  ssl_cipher: keyword('tls.cipher'),
  ssl_server_name: keyword('tls.client.server_name'),
  ssl_session_reused: { fields: ['tls.resumed'], type: 'boolean', set: at('tls.resumed', (v) => v === 'r') },
  ssl_client_s_dn: keyword('tls.client.subject'),
  ssl_client_i_dn: keyword('tls.client.issuer'),
  connection: longField('nginx.access.connection'),
  connection_requests: longField('nginx.access.connection_requests'),
  gzip_ratio: { fields: ['nginx.access.gzip_ratio'], type: 'float', set: at('nginx.access.gzip_ratio', float) },
  pid: longField('process.pid'),
}

/** The variables with an ECS home, in the order docs/modules.md lists them. */
export const NGINX_VARIABLES_WITH_FIELDS = Object.keys(KNOWN)

/** The other variables of nginx's own modules (nginx.org/en/docs/varindex.html): no ECS home, kept as `nginx.access.<name>`. */
const OTHER_VARIABLES = `ancient_browser binary_remote_addr bytes_received connection_time connections_active connections_reading
connections_waiting connections_writing content_length content_type date_gmt date_local document_root document_uri fastcgi_path_info
fastcgi_script_name geoip_area_code geoip_city geoip_city_continent_code geoip_city_country_code geoip_city_country_code3
geoip_city_country_name geoip_country_code geoip_country_code3 geoip_country_name geoip_dma_code geoip_latitude geoip_longitude
geoip_org geoip_postal_code geoip_region geoip_region_name hostname http2 http3 https invalid_referer jwt_payload limit_conn_status
limit_rate limit_req_status memcached_key modern_browser msie nginx_version pipe proxy_add_x_forwarded_for proxy_host proxy_port
proxy_protocol_addr proxy_protocol_port proxy_protocol_server_addr proxy_protocol_server_port quic realip_remote_addr
realip_remote_port realpath_root request_body request_body_file request_completion request_filename secure_link
secure_link_expires session_log_binary_id session_log_id session_time slice_range spdy spdy_request_priority ssl_alpn_protocol
ssl_ciphers ssl_client_cert ssl_client_escaped_cert ssl_client_fingerprint ssl_client_i_dn_legacy ssl_client_raw_cert
ssl_client_s_dn_legacy ssl_client_serial ssl_client_v_end ssl_client_v_remain ssl_client_v_start ssl_client_verify ssl_curve
ssl_curves ssl_early_data ssl_preread_alpn_protocols ssl_preread_protocol ssl_preread_server_name ssl_session_id ssl_sigalg
ssl_client_sigalg tcpinfo_rtt tcpinfo_rttvar tcpinfo_snd_cwnd tcpinfo_rcv_space uid_got uid_reset uid_set upstream_bytes_received
upstream_bytes_sent upstream_cache_key upstream_first_byte_time upstream_last_server_name upstream_response_length
upstream_session_time otel_trace_id otel_span_id otel_parent_id otel_parent_sampled`.split(/\s+/)
const OTHER = new Set(OTHER_VARIABLES)

/** Families of variables named after a header, cookie or argument. */
const PREFIXES = [
  'http_',
  'sent_http_',
  'sent_trailer_',
  'cookie_',
  'arg_',
  'upstream_http_',
  'upstream_cookie_',
  'upstream_trailer_',
  'jwt_header_',
  'jwt_claim_',
  'proxy_protocol_tlv_',
]

const VARIABLE = /\$(?:\{([A-Za-z0-9_]*)\}|([A-Za-z0-9_]*))/g

export interface NginxFormatOptions {
  /** Variables the server defines itself (`map ... $name`, `set $name`), without the `$`. */
  variables?: readonly string[]
  /** The config key errors point at. @default 'logFormat' */
  key?: string
}

/** The parts of a `log_format` string. Throws LogFormatProblem naming a variable nginx does not know. */
function nginxFormatParts(format: string, options: NginxFormatOptions = {}): FormatPart[] {
  const key = options.key ?? 'logFormat'
  const declared = new Set(options.variables ?? [])
  const parts: FormatPart[] = []
  let last = 0
  for (const m of format.matchAll(VARIABLE)) {
    if (m.index > last) parts.push({ literal: format.slice(last, m.index) })
    const name = m[1] ?? m[2]!
    if (name === '') throw new LogFormatProblem(`a "$" at character ${m.index + 1} is not followed by a variable name (nginx also refuses this format)`, key)
    parts.push({ field: nginxVariable(name, declared, key) })
    last = m.index + m[0].length
  }
  if (last < format.length) parts.push({ literal: format.slice(last) })
  return parts
}

function nginxVariable(name: string, declared: ReadonlySet<string>, key: string): FieldSpec {
  const token = `$${name}`
  const known = KNOWN[name]
  if (known) return { token, ...known }
  const unescapedText = name.startsWith('http_') || name.startsWith('sent_http_') || name.startsWith('upstream_http_') || name.startsWith('cookie_')
  if (OTHER.has(name) || declared.has(name) || /^[1-9]$/.test(name) || PREFIXES.some((p) => name.startsWith(p) && name.length > p.length)) {
    const path = `nginx.access.${name}`
    return { token, fields: [path], type: 'keyword', set: at(path, unescapedText ? unescaped : undefined) }
  }
  const guess = closestName(name, [...Object.keys(KNOWN), ...OTHER_VARIABLES])
  throw new LogFormatProblem(
    `unknown variable $${name}${guess ? ` (did you mean $${guess}?)` : ''}: nginx has no such variable and refuses a log_format that uses it. If nginx.conf makes it with map or set, list it under variables: [${name}]`,
    key,
  )
}

/** A parser for lines written with this `log_format`: the nginx.access fields for every variable it knows. */
export function compileNginxFormat(format: string, options: NginxFormatOptions = {}): CompiledFormat {
  return compileFormat(nginxFormatParts(format, options), { module: 'nginx', dataset: 'nginx.access', key: options.key ?? 'logFormat', what: 'variable' })
}
