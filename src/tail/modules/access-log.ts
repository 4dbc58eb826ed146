import { type ParsedFields, type Parser, parseFailure } from './types.js'
import { addressFields, isIP } from './ip.js'
import { splitUrl, type UrlParts } from './url.js'
import { type AccessScan, createAccessScanner } from './access-scan.js'
import { jsonFlatObject, jsonString, jsonStrings } from './json-text.js'
import type { ParsedText } from '../entry-parser.js'

export interface AccessFlavour {
  readonly module: 'nginx' | 'apache'
  readonly dataset: string
  /** Read nginx's trailing `"$http_x_forwarded_for"` and `$request_time`. */
  readonly nginxTrailer: boolean
}

/** Every top-level key the access parsers may give (besides `@timestamp`). */
const ACCESS_KEYS: ReadonlySet<string> = new Set(['event', 'http', 'nginx', 'apache', 'destination', 'source', 'user', 'url', 'user_agent', 'error', 'tags'])

/**
 * The access-log parser (access-scan.ts reads the line) with both renderings: ECS fields as an
 * object, and `asText`, the same fields as JSON text for documents that merge nothing else
 * into them, which spares building the object and stringifying it (docs/benchmarks.md).
 */
export function createAccessParser(flavour: AccessFlavour): Parser {
  const { module, dataset } = flavour
  const scanLine = createAccessScanner(flavour.nginxTrailer)
  const parser: Parser = (input) => {
    const scan = scanLine(input)
    return typeof scan === 'string' ? parseFailure(dataset, module, scan) : accessFields(scan, module, dataset)
  }
  const eventText = `,"event":{"module":${JSON.stringify(module)},"dataset":${JSON.stringify(dataset)},"kind":"event","category":["web"],"type":["access"],"outcome":"`
  parser.asText = {
    keys: ACCESS_KEYS,
    parse(input) {
      const scan = scanLine(input)
      return typeof scan === 'string' ? undefined : accessText(scan, module, eventText)
    },
  }
  return parser
}

function accessFields(scan: AccessScan, module: string, dataset: string): ParsedFields {
  const event: Record<string, unknown> = { module, dataset, kind: 'event', category: ['web'], type: ['access'], outcome: scan.status >= 400 ? 'failure' : 'success' }
  if (scan.durationNanos !== undefined) event.duration = scan.durationNanos
  const response: Record<string, unknown> = { status_code: scan.status }
  if (scan.bytes !== undefined) response.body = { bytes: scan.bytes }
  const http: Record<string, unknown> = { response }
  const fields: ParsedFields = { '@timestamp': scan.iso, event, http }
  if (scan.remoteList) accessOf(fields, module).remote_ip_list = scan.remoteList
  else if (scan.vhost) fields.destination = vhostFields(scan.vhost)
  const source = addressFields(scan.client)
  if (source) fields.source = source
  if (scan.user !== undefined) fields.user = { name: scan.user }
  if (scan.request?.version !== undefined) http.version = scan.request.version
  if (scan.target !== undefined) fields.url = splitUrl(scan.target, { original: scan.target })
  const request: Record<string, unknown> | undefined = scan.request ? { method: scan.request.method } : undefined
  if (scan.referrer !== undefined || request) http.request = { ...request, ...(scan.referrer === undefined ? {} : { referrer: scan.referrer }) }
  if (scan.agent !== undefined) fields.user_agent = { original: scan.agent }
  if (scan.forwardedFor) accessOf(fields, 'nginx').x_forwarded_for = scan.forwardedFor
  return fields
}

/** The same fields as `accessFields`, in the same order, as JSON text. */
function accessText(scan: AccessScan, module: string, eventText: string): ParsedText {
  let out = `${eventText}${scan.status >= 400 ? 'failure' : 'success'}"${scan.durationNanos === undefined ? '' : `,"duration":${JSON.stringify(scan.durationNanos)}`}}`
  out += `,"http":{"response":{"status_code":${scan.status}${scan.bytes === undefined ? '' : `,"body":{"bytes":${scan.bytes}}`}}`
  if (scan.request?.version !== undefined) out += `,"version":${jsonString(scan.request.version)}`
  if (scan.request || scan.referrer !== undefined) {
    const method = scan.request ? `"method":${jsonString(scan.request.method)}` : ''
    out += `,"request":{${method}${scan.referrer === undefined ? '' : `${method === '' ? '' : ','}"referrer":${jsonString(scan.referrer)}`}}`
  }
  out += '}'
  const forwarded = scan.forwardedFor ? `"x_forwarded_for":${jsonStrings(scan.forwardedFor)}` : ''
  const sameAccess = forwarded !== '' && module === 'nginx'
  if (scan.remoteList) out += `,${jsonString(module)}:{"access":{"remote_ip_list":${jsonStrings(scan.remoteList)}${sameAccess ? `,${forwarded}` : ''}}}`
  else if (scan.vhost) out += `,"destination":${jsonFlatObject(vhostFields(scan.vhost))}`
  if (scan.client !== '' && scan.client !== '-') {
    const client = jsonString(scan.client)
    out += `,"source":{"address":${client},${isIP(scan.client) ? '"ip"' : '"domain"'}:${client}}` // addressFields
  }
  if (scan.user !== undefined) out += `,"user":{"name":${jsonString(scan.user)}}`
  if (scan.target !== undefined) out += `,"url":${urlText(splitUrl(scan.target, { original: scan.target }))}`
  if (scan.agent !== undefined) out += `,"user_agent":{"original":${jsonString(scan.agent)}}`
  if (forwarded !== '' && !(scan.remoteList && sameAccess)) out += `,"nginx":{"access":{${forwarded}}}`
  return { timestamp: scan.iso, members: out }
}

/** `url.*` in the order splitUrl sets them. */
function urlText(url: UrlParts & { original: string }): string {
  let out = `{"original":${jsonString(url.original)}`
  if (url.scheme !== undefined) out += `,"scheme":${jsonString(url.scheme)}`
  if (url.domain !== undefined) out += `,"domain":${jsonString(url.domain)}`
  if (url.port !== undefined) out += `,"port":${url.port}`
  if (url.path !== undefined) out += `,"path":${jsonString(url.path)}`
  if (url.query !== undefined) out += `,"query":${jsonString(url.query)}`
  if (url.fragment !== undefined) out += `,"fragment":${jsonString(url.fragment)}`
  return `${out}}`
}

function vhostFields({ host, port }: { host: string; port?: number }): Record<string, unknown> {
  const destination: Record<string, unknown> = isIP(host) ? { ip: host } : { domain: host }
  if (port !== undefined) destination.port = port
  return destination
}

/** `<module>.access`, created on first use. */
function accessOf(fields: ParsedFields, module: string): Record<string, unknown> {
  const own = (fields[module] ??= {}) as Record<string, unknown>
  return (own.access ??= {}) as Record<string, unknown>
}
