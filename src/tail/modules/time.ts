/**
 * Timestamps as logs write them, turned into ECS `@timestamp` text (UTC, `Z`).
 * Hand-written digit readers: no Date parsing of free text, no regex per line.
 */

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
}

/** Month index (0-11) of a three-letter English month name at `at`, or -1. */
export function monthAt(text: string, at: number): number {
  return MONTHS[text.slice(at, at + 3)] ?? -1
}

/** The number written by exactly `count` ASCII digits at `at`, or -1. */
export function digitsAt(text: string, at: number, count: number): number {
  let value = 0
  for (let i = at; i < at + count; i++) {
    const c = text.charCodeAt(i) - 48
    if (c < 0 || c > 9) return -1
    value = value * 10 + c
  }
  return value
}

/** Index just past the run of ASCII digits starting at `at` (== at when there is none). */
export function digitsEnd(text: string, at: number): number {
  let i = at
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (c < 48 || c > 57) break
    i++
  }
  return i
}

/**
 * ISO-8601 UTC text for an instant given in whole milliseconds, with the sub-second digits
 * the log wrote (`fraction`, digits only, kept up to nanoseconds; `.000` when none).
 */
export function isoText(epochMs: number, fraction = ''): string {
  if (!Number.isFinite(epochMs)) return ''
  const iso = new Date(epochMs).toISOString()
  if (fraction.length === 0) return iso
  return `${iso.slice(0, 19)}.${fraction.length >= 3 ? fraction.slice(0, 9) : fraction.padEnd(3, '0')}Z`
}

/** True when the wall-clock fields name a real date and time (no Feb 30, no hour 25). */
export function validFields(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  if (year < 0 || month < 0 || month > 11 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return false
  return day <= new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
}

/**
 * Minutes east of UTC written as `Z`, `+hhmm`, `+hh:mm` or `+hh` at `at`; `end` is where
 * the offset text stops. Returns NaN when it is none of these.
 */
export function offsetMinutes(text: string, at: number, end: number): number {
  const length = end - at
  const sign = text.charCodeAt(at)
  if (length === 1 && sign === 90 /* Z */) return 0
  if (sign !== 43 /* + */ && sign !== 45 /* - */) return NaN
  const hours = digitsAt(text, at + 1, 2)
  let minutes = 0
  if (length === 5) minutes = digitsAt(text, at + 3, 2)
  else if (length === 6 && text.charCodeAt(at + 3) === 58 /* : */) minutes = digitsAt(text, at + 4, 2)
  else if (length !== 3) return NaN
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return NaN
  return (sign === 45 ? -1 : 1) * (hours * 60 + minutes)
}

/** Turns wall-clock fields written without an offset into an instant (epoch ms). */
export type WallClock = (year: number, month: number, day: number, hour: number, minute: number, second: number) => number

const FIXED_OFFSET = /^([+-])(\d{2}):?(\d{2})$/

/**
 * The wall clock of a zone: `local`, `UTC`, `±hh:mm` or an IANA name. Throws a RangeError
 * naming the zone when it is none of these (the config schema reports it).
 */
export function wallClock(zone = 'local'): WallClock {
  if (zone === 'local') return (y, mo, d, h, mi, s) => new Date(y, mo, d, h, mi, s).getTime()
  if (zone === 'UTC' || zone === 'Z') return Date.UTC
  const fixed = FIXED_OFFSET.exec(zone)
  if (fixed) {
    const minutes = (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3]))
    return (y, mo, d, h, mi, s) => Date.UTC(y, mo, d, h, mi, s) - minutes * 60_000
  }
  return ianaClock(zone)
}

function ianaClock(zone: string): WallClock {
  let format: Intl.DateTimeFormat
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
  } catch {
    throw new RangeError(`unknown time zone ${JSON.stringify(zone)}; expected local, UTC, an offset such as +02:00, or an IANA name such as Europe/Berlin`)
  }
  const offsetAt = (epochMs: number): number => {
    const parts: Record<string, number> = {}
    for (const p of format.formatToParts(epochMs)) if (p.type !== 'literal') parts[p.type] = Number(p.value)
    const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!)
    return asUtc - Math.floor(epochMs / 1000) * 1000
  }
  // Error and slow logs repeat the same hour many times: remember the last answer.
  let lastHour = NaN
  let lastOffset = 0
  return (y, mo, d, h, mi, s) => {
    const guess = Date.UTC(y, mo, d, h, mi, s)
    const hour = Math.floor(guess / 3_600_000)
    if (hour !== lastHour) {
      // Two passes settle the offset across a DST change (the standard fixed-point trick).
      const first = offsetAt(guess)
      const second = offsetAt(guess - first)
      lastOffset = first === second ? first : second
      lastHour = hour
    }
    return guess - lastOffset
  }
}

/**
 * Nanoseconds in a decimal count of seconds (`0.123`, `12`, `1.000123456`), computed on the
 * digits so `0.000123` is exactly 123000. NaN when the text is not such a number.
 */
export function secondsToNanos(text: string): number {
  const dot = text.indexOf('.')
  const whole = dot < 0 ? text : text.slice(0, dot)
  const fraction = dot < 0 ? '' : text.slice(dot + 1)
  if ((whole.length === 0 && fraction.length === 0) || digitsEnd(whole, 0) !== whole.length || digitsEnd(fraction, 0) !== fraction.length) return NaN
  const nanos = fraction.length === 0 ? 0 : Number(fraction.slice(0, 9).padEnd(9, '0'))
  return Number(whole || '0') * 1e9 + nanos
}
