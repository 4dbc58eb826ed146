import { type ParsedFields, type Parser, type ParserOptions, parseFailure, withoutLineEnd } from './types.js'
import { digitsAt, digitsEnd, isoText, validFields, wallClock } from './time.js'
import { addressFields, splitHostPort } from './ip.js'
import { splitUrl } from './url.js'
import { parseRequestLine } from './request-line.js'

/**
 * `nginx.error`:
 *
 *   2024/06/01 12:34:56 [error] 1234#5678: *90 open() "/x" failed (2: No such file or directory), client: 10.0.0.1, server: localhost, request: "GET /x HTTP/1.1", host: "localhost"
 *
 * The time is the server's local time (no offset); `timezone` says which zone that is.
 * `message` is everything after `pid#tid: *connection`; the `client:`, `request:`, `host:`
 * and `referrer:` details nginx appends are also split into ECS fields.
 */
export function createNginxErrorParser(options: ParserOptions = {}): Parser {
  const clock = wallClock(options.timezone)
  const fail = (reason: string) => parseFailure('nginx.error', 'nginx', reason)
  return (input) => {
    const line = withoutLineEnd(input)
    const year = digitsAt(line, 0, 4)
    const month = digitsAt(line, 5, 2) - 1
    const day = digitsAt(line, 8, 2)
    const hour = digitsAt(line, 11, 2)
    const minute = digitsAt(line, 14, 2)
    const second = digitsAt(line, 17, 2)
    if (line.charCodeAt(4) !== 47 || line.charCodeAt(7) !== 47 || line.charCodeAt(10) !== 32 || !validFields(year, month, day, hour, minute, second)) {
      return fail('expected the time as yyyy/mm/dd hh:mm:ss at the start of the line')
    }
    if (line.charCodeAt(19) !== 32 || line.charCodeAt(20) !== 91) return fail('expected "[level]" after the time')
    const levelEnd = line.indexOf(']', 21)
    if (levelEnd < 0) return fail('the "[level]" is not closed')
    const level = line.slice(21, levelEnd)
    const pidStart = levelEnd + 2
    const pidEnd = digitsEnd(line, pidStart)
    const tidEnd = digitsEnd(line, pidEnd + 1)
    if (line.charCodeAt(levelEnd + 1) !== 32 || pidEnd === pidStart || line.charCodeAt(pidEnd) !== 35 /* # */ || tidEnd === pidEnd + 1 || line.charCodeAt(tidEnd) !== 58) {
      return fail('expected "pid#thread:" after the level')
    }
    let at = tidEnd + 1
    if (line.charCodeAt(at) === 32) at++
    const fields: ParsedFields = {
      '@timestamp': isoText(clock(year, month, day, hour, minute, second)),
      event: { module: 'nginx', dataset: 'nginx.error', kind: 'event', category: ['web'], type: ['error'] },
      log: { level },
      process: { pid: Number(line.slice(pidStart, pidEnd)), thread: { id: Number(line.slice(pidEnd + 1, tidEnd)) } },
    }
    if (line.charCodeAt(at) === 42 /* * */) {
      const idEnd = digitsEnd(line, at + 1)
      if (idEnd > at + 1) {
        fields.nginx = { error: { connection_id: Number(line.slice(at + 1, idEnd)) } }
        at = line.charCodeAt(idEnd) === 32 ? idEnd + 1 : idEnd
      }
    }
    const message = line.slice(at)
    fields.message = message
    addRequestContext(fields, message)
    return fields
  }
}

/** Reads nginx's `, client: A, server: B, request: "…", host: "…", referrer: "…"` tail. */
function addRequestContext(fields: ParsedFields, message: string): void {
  const start = message.indexOf(', client: ')
  if (start < 0) return
  let at = start + 2
  let method: string | undefined
  let referrer: string | undefined
  while (at < message.length) {
    const colon = message.indexOf(': ', at)
    if (colon < 0) return
    const key = message.slice(at, colon)
    let value: string
    let next: number
    if (message.charCodeAt(colon + 2) === 34) {
      const close = quotedValueEnd(message, colon + 3)
      value = message.slice(colon + 3, close)
      next = close + 1
    } else {
      const comma = message.indexOf(', ', colon + 2)
      next = comma < 0 ? message.length : comma
      value = message.slice(colon + 2, next)
    }
    if (key === 'client') {
      const source = addressFields(value)
      if (source) fields.source = source
    } else if (key === 'request') {
      const request = parseRequestLine(value)
      if (request !== undefined) {
        method = request.method
        if (request.target.length > 0) fields.url = splitUrl(request.target, { ...(fields.url as object | undefined), original: request.target })
        if (request.version !== undefined) ((fields.http ??= {}) as Record<string, unknown>).version = request.version
      }
    } else if (key === 'host') {
      // The Host header: a name, possibly with a port.
      const { host, port } = splitHostPort(value, false)
      const url = (fields.url ??= {}) as Record<string, unknown>
      url.domain = host
      if (port !== undefined) url.port = port
    } else if (key === 'referrer') {
      referrer = value
    }
    if (message.charCodeAt(next) !== 44 /* , */) break
    at = next + 2
  }
  if (method !== undefined || referrer !== undefined) {
    const request: Record<string, unknown> = {}
    if (method !== undefined) request.method = method
    if (referrer !== undefined) request.referrer = referrer
    ;((fields.http ??= {}) as Record<string, unknown>).request = request
  }
}

/**
 * Where a quoted value in the details ends. nginx writes these values raw (a request with
 * a `"` in it stays as is), so the value ends at the quote followed by `, key: ` or by the
 * end of the line, not at the first quote.
 */
function quotedValueEnd(message: string, start: number): number {
  let quote = message.indexOf('"', start)
  while (quote >= 0) {
    if (quote === message.length - 1 || (message.startsWith(', ', quote + 1) && isKeyAt(message, quote + 3))) return quote
    quote = message.indexOf('"', quote + 1)
  }
  return message.length
}

/** `word: ` at `at` (the next detail's key). */
function isKeyAt(text: string, at: number): boolean {
  let i = at
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (!((c >= 97 && c <= 122) || c === 95)) break
    i++
  }
  return i > at && text.charCodeAt(i) === 58 && text.charCodeAt(i + 1) === 32
}
