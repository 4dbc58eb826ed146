import { type ParsedFields, type Parser, type ParserOptions, parseFailure } from './types.js'
import { digitsEnd, isoText, secondsToNanos, wallClock } from './time.js'
import { readMysqlTime } from './mysql-time.js'
import { addressFields } from './ip.js'

/**
 * `mysql.slowlog`: one whole entry (MySQL 5.7/8.x, MariaDB, Percona):
 *
 *   # Time: 2024-06-01T12:34:56.123456Z                        (optional; see below)
 *   # User@Host: app[app] @ web1 [10.0.0.5]  Id:    12
 *   # Query_time: 1.500123  Lock_time: 0.000045 Rows_sent: 1  Rows_examined: 40000
 *   use shop;
 *   SET timestamp=1717245296;
 *   SELECT ...;
 *
 * With the catalogue's multiline settings an entry starts at `# User@Host:`, so the
 * `# Time:` line of the *next* entry ends up at the end of this one: it is ignored here,
 * and the time comes from `SET timestamp=` (which every server writes). A leading
 * `# Time:` is used only when `SET timestamp=` is missing. A server restart header written
 * after a query (`/usr/sbin/mysqld, Version: ... started with:`) is cut off the query too.
 */
export function createMysqlSlowlogParser(options: ParserOptions = {}): Parser {
  const clock = wallClock(options.timezone)
  const fail = (reason: string) => parseFailure('mysql.slowlog', 'mysql', reason)
  return (input) => {
    const lines = input.split('\n')
    let last = lines.length - 1
    while (last >= 0 && isTrailer(lines[last]!)) last--

    const event: Record<string, unknown> = { module: 'mysql', dataset: 'mysql.slowlog', kind: 'event', category: ['database'], type: ['info'] }
    const slowlog: Record<string, unknown> = {}
    const mysql: Record<string, unknown> = { slowlog }
    const fields: ParsedFields = { event, mysql }
    let headerTime: string | undefined
    let sawUserHost = false
    let sawQueryTime = false

    let i = 0
    for (; i <= last; i++) {
      const line = stripCr(lines[i]!)
      if (!line.startsWith('#')) break
      if (line.startsWith('# Time: ')) {
        headerTime ??= readMysqlTime(line, 8, clock)?.iso
      } else if (line.startsWith('# User@Host: ')) {
        sawUserHost = true
        readUserHost(line, fields, mysql)
      } else if (!line.startsWith('# explain:') && !line.startsWith('# administrator command:')) {
        if (readPairs(line, event, mysql, slowlog, clock)) sawQueryTime = true
      } else {
        break
      }
    }
    if (!sawQueryTime) return fail(sawUserHost ? 'no "# Query_time:" line after "# User@Host:"' : 'expected "# User@Host:" and "# Query_time:" header lines')

    let time: string | undefined
    const query: string[] = []
    for (; i <= last; i++) {
      const line = stripCr(lines[i]!)
      if (query.length === 0 && line.startsWith('use ') && line.endsWith(';')) {
        slowlog.schema = line.slice(4, -1).replace(BACKTICKS, '')
      } else if (query.length === 0 && line.startsWith('SET timestamp=')) {
        const end = digitsEnd(line, 14)
        if (end > 14) time = isoText(Number(line.slice(14, end)) * 1000)
      } else {
        query.push(line)
      }
    }
    const text = query.join('\n').trim()
    if (text.length > 0) slowlog.query = text
    const timestamp = time ?? headerTime
    if (timestamp !== undefined) fields['@timestamp'] = timestamp
    return fields
  }
}

function stripCr(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line
}

const RESTART_HEADER = /^[/\w.-]+, Version: .* started with:|^Tcp port: \d+ |^Time\s+Id\s+Command\s+Argument/

/** Lines that belong to what comes after this entry: the next `# Time:`, a restart header, blanks. */
function isTrailer(line: string): boolean {
  return line.trim() === '' || line.startsWith('# Time: ') || RESTART_HEADER.test(line)
}

/** `# User@Host: user[current_user] @ host [ip]  Id: 12` */
function readUserHost(line: string, fields: ParsedFields, mysql: Record<string, unknown>): void {
  const rest = line.slice(13)
  const at = rest.indexOf(' @ ')
  const userPart = at < 0 ? rest : rest.slice(0, at)
  const bracket = userPart.indexOf('[')
  const user = (bracket < 0 ? userPart : userPart.slice(0, bracket)).trim()
  if (user.length > 0) fields.user = { name: user }
  if (bracket >= 0) {
    const current = userPart.slice(bracket + 1, userPart.indexOf(']', bracket))
    if (current.length > 0) (mysql.slowlog as Record<string, unknown>).current_user = current
  }
  if (at < 0) return
  const ipOpen = rest.indexOf('[', at)
  const ipClose = ipOpen < 0 ? -1 : rest.indexOf(']', ipOpen)
  const host = rest.slice(at + 3, ipOpen < 0 ? undefined : ipOpen).trim()
  const ip = ipClose < 0 ? '' : rest.slice(ipOpen + 1, ipClose).trim()
  const source: Record<string, unknown> = {}
  if (host.length > 0) source.domain = host
  if (ip.length > 0) {
    const address = addressFields(ip)
    if (address?.ip !== undefined) source.ip = address.ip
  }
  const address = (source.ip ?? source.domain) as string | undefined
  if (address !== undefined) fields.source = { address, ...source }
  const id = rest.indexOf('Id:', ipClose < 0 ? at : ipClose)
  if (id >= 0) {
    let start = id + 3
    while (rest.charCodeAt(start) === 32) start++
    const end = digitsEnd(rest, start)
    if (end > start) mysql.thread_id = Number(rest.slice(start, end))
  }
}

/**
 * A `# Key: value  Key: value` header line. Keys with ECS homes go there; the rest become
 * `mysql.slowlog.<key in lower case>` (numbers as numbers, Yes/No as booleans).
 * Returns true when the line held `Query_time`.
 */
function readPairs(line: string, event: Record<string, unknown>, mysql: Record<string, unknown>, slowlog: Record<string, unknown>, clock: ReturnType<typeof wallClock>): boolean {
  const tokens = line
    .slice(2)
    .split(WHITESPACE)
    .filter((t) => t.length > 0)
  let sawQueryTime = false
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!
    if (!token.endsWith(':')) continue
    const key = token.slice(0, -1)
    const next = tokens[t + 1]
    const value = next === undefined || next.endsWith(':') ? '' : next
    if (value !== '') t++
    switch (key) {
      case 'Query_time': {
        const nanos = secondsToNanos(value)
        if (!Number.isNaN(nanos)) event.duration = nanos
        sawQueryTime = true
        break
      }
      case 'Lock_time':
        slowlog.lock_time = { sec: Number(value) }
        break
      case 'Thread_id':
      case 'Id':
        if (value !== '') mysql.thread_id = Number(value)
        break
      case 'Schema':
        if (value !== '') slowlog.schema = value
        break
      case 'QC_hit':
        slowlog.query_cache_hit = value === 'Yes'
        break
      case 'Start':
      case 'End': {
        const time = readMysqlTime(value, 0, clock)
        if (time) event[key === 'Start' ? 'start' : 'end'] = time.iso
        break
      }
      default:
        if (value !== '' && KEY.test(key)) slowlog[key.toLowerCase()] = typed(value)
    }
  }
  return sawQueryTime
}

const NUMBER = /^-?\d+(\.\d+)?$/
const WHITESPACE = /\s+/
const KEY = /^\w+$/
const BACKTICKS = /^`|`$/g

function typed(value: string): string | number | boolean {
  if (value === 'Yes') return true
  if (value === 'No') return false
  return NUMBER.test(value) ? Number(value) : value
}
