import { type ParsedFields, type Parser, type ParserOptions, parseFailure, withoutLineEnd } from './types.js'
import { digitsEnd, wallClock } from './time.js'
import { readMysqlTime } from './mysql-time.js'

/**
 * `mysql.error`, one entry (the catalogue's multiline settings join continuation lines such
 * as 5.7's `Version: '5.7.44' socket: ...` or an InnoDB dump to the entry above them):
 *
 *   8.x:     2024-06-01T12:34:56.123456Z 0 [System] [MY-010116] [Server] /usr/sbin/mysqld (mysqld 8.0.36) starting as process 1
 *   5.7:     2017-05-12T11:18:18.123456Z 0 [Note] InnoDB: Initializing buffer pool
 *   MariaDB: 2024-06-01 12:34:56 0 [Note] Server socket created on IP: '127.0.0.1'.
 *   5.5:     160101 12:00:00 [ERROR] Can't start server: Bind on TCP/IP port: Address already in use
 *   script:  2024-06-01T12:34:56.000000Z mysqld_safe Logging to '/var/log/mysql/error.log'.
 */
export function createMysqlErrorParser(options: ParserOptions = {}): Parser {
  const clock = wallClock(options.timezone)
  const fail = (reason: string) => parseFailure('mysql.error', 'mysql', reason)
  return (input) => {
    const entry = withoutLineEnd(input)
    const time = readMysqlTime(entry, 0, clock)
    if (time === undefined) return fail('expected a time (yyyy-mm-ddThh:mm:ss.micros+zone, yyyy-mm-dd hh:mm:ss or yymmdd hh:mm:ss) at the start')
    const event: Record<string, unknown> = { module: 'mysql', dataset: 'mysql.error', kind: 'event', category: ['database'], type: ['info'] }
    const fields: ParsedFields = { '@timestamp': time.iso, event }
    let at = time.end
    while (entry.charCodeAt(at) === 32) at++

    const threadEnd = digitsEnd(entry, at)
    if (threadEnd > at && (entry.charCodeAt(threadEnd) === 32 || threadEnd === entry.length)) {
      fields.mysql = { thread_id: Number(entry.slice(at, threadEnd)) }
      at = threadEnd + 1
    }
    if (entry.charCodeAt(at) === 91 /* [ */) {
      const close = entry.indexOf(']', at)
      if (close < 0) return fail('the "[level]" is not closed')
      const level = entry.slice(at + 1, close)
      fields.log = { level }
      if (level.toLowerCase() === 'error') event.type = ['error']
      at = close + 1
      // 8.x: [MY-010116] [Server]
      if (entry.startsWith(' [MY-', at)) {
        const codeClose = entry.indexOf(']', at)
        fields.error = { code: entry.slice(at + 2, codeClose) }
        at = codeClose + 1
        if (entry.startsWith(' [', at)) {
          const subsystemClose = entry.indexOf(']', at)
          if (subsystemClose > 0) {
            const mysql = (fields.mysql ??= {}) as Record<string, unknown>
            mysql.error = { subsystem: entry.slice(at + 2, subsystemClose) }
            at = subsystemClose + 1
          }
        }
      }
      if (entry.charCodeAt(at) === 32) at++
    }
    fields.message = entry.slice(at)
    return fields
  }
}
