import { digitsAt, digitsEnd, isoText, offsetMinutes, validFields, type WallClock } from './time.js'

/** A time read from the start of a MySQL/MariaDB log text, and where it ends. */
export interface MysqlTime {
  iso: string
  end: number
}

/**
 * The three ways MySQL-family servers write times, at `at`:
 * - `2024-06-01T12:34:56.123456Z` / `...+02:00` (MySQL 5.7 and 8.x, `log_timestamps`);
 * - `2024-06-01 12:34:56` (MariaDB 10.x, MySQL 5.6), local time;
 * - `240601 12:34:56` / `240601  2:34:56` (MySQL 5.5, MariaDB slow log), local time.
 * Undefined when the text there is none of these.
 */
export function readMysqlTime(text: string, at: number, clock: WallClock): MysqlTime | undefined {
  let year: number, month: number, day: number, clockAt: number
  const sep = text.charCodeAt(at + 4)
  if (sep === 45 /* - */) {
    year = digitsAt(text, at, 4)
    month = digitsAt(text, at + 5, 2) - 1
    day = digitsAt(text, at + 8, 2)
    const t = text.charCodeAt(at + 10)
    if (text.charCodeAt(at + 7) !== 45 || (t !== 84 /* T */ && t !== 32)) return undefined
    clockAt = at + 11
  } else {
    const yy = digitsAt(text, at, 2)
    year = yy < 0 ? -1 : 2000 + yy
    month = digitsAt(text, at + 2, 2) - 1
    day = digitsAt(text, at + 4, 2)
    if (text.charCodeAt(at + 6) !== 32) return undefined
    clockAt = at + 7
    while (text.charCodeAt(clockAt) === 32) clockAt++
    // The hour is space-padded, not zero-padded: "240601  2:34:56".
    if (text.charCodeAt(clockAt + 1) === 58) clockAt--
  }
  const hourOneDigit = text.charCodeAt(clockAt) === 32
  const hour = hourOneDigit ? digitsAt(text, clockAt + 1, 1) : digitsAt(text, clockAt, 2)
  const minute = digitsAt(text, clockAt + 3, 2)
  const second = digitsAt(text, clockAt + 6, 2)
  if (text.charCodeAt(clockAt + 2) !== 58 || text.charCodeAt(clockAt + 5) !== 58 || !validFields(year, month, day, hour, minute, second)) return undefined
  let end = clockAt + 8
  let fraction = ''
  if (text.charCodeAt(end) === 46 /* . */) {
    const fractionEnd = digitsEnd(text, end + 1)
    fraction = text.slice(end + 1, fractionEnd)
    end = fractionEnd
  }
  let zoneEnd = end
  while (zoneEnd < text.length && text.charCodeAt(zoneEnd) !== 32 && text.charCodeAt(zoneEnd) !== 10) zoneEnd++
  if (zoneEnd > end) {
    const offset = offsetMinutes(text, end, zoneEnd)
    if (Number.isNaN(offset)) return undefined
    return { iso: isoText(Date.UTC(year, month, day, hour, minute, second) - offset * 60_000, fraction), end: zoneEnd }
  }
  return { iso: isoText(clock(year, month, day, hour, minute, second), fraction), end }
}
