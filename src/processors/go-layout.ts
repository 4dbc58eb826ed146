import { isoText, wallClock, type WallClock } from '../tail/modules/time.js'

/**
 * Go reference-time layouts (`2006-01-02T15:04:05Z07:00`), as Filebeat's timestamp processor
 * takes them, compiled once into a parser. Also the names of Go's layout constants
 * (RFC3339, RFC1123Z, Stamp, DateTime ...) and `UNIX` / `UNIX_MS` (seconds / ms since 1970).
 */
const NAMED_LAYOUTS: Record<string, string> = {
  ANSIC: 'Mon Jan _2 15:04:05 2006',
  UnixDate: 'Mon Jan _2 15:04:05 MST 2006',
  RFC822: '02 Jan 06 15:04 MST',
  RFC822Z: '02 Jan 06 15:04 -0700',
  RFC850: 'Monday, 02-Jan-06 15:04:05 MST',
  RFC1123: 'Mon, 02 Jan 2006 15:04:05 MST',
  RFC1123Z: 'Mon, 02 Jan 2006 15:04:05 -0700',
  RFC3339: '2006-01-02T15:04:05Z07:00',
  RFC3339Nano: '2006-01-02T15:04:05.999999999Z07:00',
  Kitchen: '3:04PM',
  Stamp: 'Jan _2 15:04:05',
  StampMilli: 'Jan _2 15:04:05.000',
  StampMicro: 'Jan _2 15:04:05.000000',
  StampNano: 'Jan _2 15:04:05.000000000',
  DateTime: '2006-01-02 15:04:05',
  DateOnly: '2006-01-02',
  TimeOnly: '15:04:05',
}

/** Text to ISO-8601 UTC (`…Z`), or undefined when the text does not have the layout's shape. */
export type TimeParser = (text: string) => string | undefined

type Token =
  | { t: 'lit'; s: string }
  | {
      t:
        | 'year4'
        | 'year2'
        | 'month'
        | 'month1'
        | 'monthName'
        | 'monthAbbr'
        | 'day'
        | 'day1'
        | 'dayPad'
        | 'hour'
        | 'hour12'
        | 'hour12x'
        | 'minute'
        | 'minute1'
        | 'second'
        | 'second1'
    }
  | { t: 'weekday' | 'weekdayAbbr' | 'ampm' | 'zoneName' }
  | { t: 'offset'; z: boolean; colon: boolean; minutes: boolean; seconds: boolean }
  | { t: 'fraction'; digits: number; optional: boolean }

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

const OFFSETS: [string, Omit<Extract<Token, { t: 'offset' }>, 't' | 'z'>][] = [
  ['070000', { colon: false, minutes: true, seconds: true }],
  ['07:00:00', { colon: true, minutes: true, seconds: true }],
  ['0700', { colon: false, minutes: true, seconds: false }],
  ['07:00', { colon: true, minutes: true, seconds: false }],
  ['07', { colon: false, minutes: false, seconds: false }],
]

/** Splits a Go layout into tokens; throws RangeError when it has no date or time in it. */
function tokenizeLayout(layout: string): Token[] {
  const tokens: Token[] = []
  let lit = ''
  const push = (token: Token) => {
    if (lit) tokens.push({ t: 'lit', s: lit })
    lit = ''
    tokens.push(token)
  }
  let i = 0
  const at = (s: string) => layout.startsWith(s, i)
  while (i < layout.length) {
    const c = layout[i]!
    let took = 0
    const take = (s: string, token: Token) => {
      if (took === 0 && at(s)) {
        push(token)
        took = s.length
      }
    }
    if (c === 'J') take('January', { t: 'monthName' }), take('Jan', { t: 'monthAbbr' })
    else if (c === 'M') take('Monday', { t: 'weekday' }), take('Mon', { t: 'weekdayAbbr' }), take('MST', { t: 'zoneName' })
    else if (c === '0')
      take('01', { t: 'month' }), take('02', { t: 'day' }), take('03', { t: 'hour12' }), take('04', { t: 'minute' }), take('05', { t: 'second' }), take('06', { t: 'year2' })
    else if (c === '1') take('15', { t: 'hour' }), take('1', { t: 'month1' })
    else if (c === '2') take('2006', { t: 'year4' }), take('2', { t: 'day1' })
    else if (c === '_') take('_2', { t: 'dayPad' })
    else if (c === '3') take('3', { t: 'hour12x' })
    else if (c === '4') take('4', { t: 'minute1' })
    else if (c === '5') take('5', { t: 'second1' })
    else if (c === 'P') take('PM', { t: 'ampm' })
    else if (c === 'p') take('pm', { t: 'ampm' })
    else if (c === '-' || c === 'Z') {
      for (const [s, shape] of OFFSETS) take(c + s, { t: 'offset', z: c === 'Z', ...shape })
    } else if ((c === '.' || c === ',') && (layout[i + 1] === '0' || layout[i + 1] === '9')) {
      const digit = layout[i + 1]!
      let j = i + 1
      while (layout[j] === digit) j++
      if (!/[0-9]/.test(layout[j] ?? '')) {
        push({ t: 'fraction', digits: j - i - 1, optional: digit === '9' })
        took = j - i
      }
    }
    if (took === 0) {
      lit += c
      took = 1
    }
    i += took
  }
  if (lit) tokens.push({ t: 'lit', s: lit })
  if (!tokens.some((t) => t.t !== 'lit'))
    throw new RangeError(`layout ${JSON.stringify(layout)} has no date or time in it; write it with Go's reference time, e.g. 2006-01-02T15:04:05Z07:00`)
  return tokens
}

/** A parser for `layout` (a Go layout or a name above); `timezone` applies to times written without an offset. */
export function compileLayout(layout: string, timezone: string): TimeParser {
  if (layout === 'UNIX') return (text) => epoch(text, 1000)
  if (layout === 'UNIX_MS') return (text) => epoch(text, 1)
  const tokens = tokenizeLayout(NAMED_LAYOUTS[layout] ?? layout)
  const clock = wallClock(timezone)
  return (text) => parse(tokens, text, clock)
}

function epoch(text: string, unitMs: number): string | undefined {
  if (!/^\d+(\.\d+)?$/.test(text)) return undefined
  const ms = Number(text) * unitMs
  return Number.isFinite(ms) ? new Date(Math.floor(ms)).toISOString() : undefined
}

function parse(tokens: readonly Token[], text: string, clock: WallClock): string | undefined {
  let year = Number.NaN
  let month = 0
  let day = 1
  let hour = 0
  let minute = 0
  let second = 0
  let pm: boolean | undefined
  let fraction = ''
  let offset: number | undefined
  let i = 0
  const digits = (min: number, max: number): number => {
    let j = i
    while (j < text.length && j - i < max && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++
    if (j - i < min) return Number.NaN
    const n = Number(text.slice(i, j))
    i = j
    return n
  }
  const word = (list: readonly string[], abbr: boolean): number => {
    for (let k = 0; k < list.length; k++) {
      const w = abbr ? list[k]!.slice(0, 3) : list[k]!
      if (text.slice(i, i + w.length).toLowerCase() === w.toLowerCase()) {
        i += w.length
        return k
      }
    }
    return -1
  }
  for (const token of tokens) {
    switch (token.t) {
      case 'lit':
        if (!text.startsWith(token.s, i)) return undefined
        i += token.s.length
        break
      case 'year4':
        year = digits(4, 4)
        break
      case 'year2':
        year = digits(2, 2)
        year += year >= 69 ? 1900 : 2000
        break
      case 'month':
        month = digits(2, 2) - 1
        break
      case 'month1':
        month = digits(1, 2) - 1
        break
      case 'monthName':
      case 'monthAbbr':
        month = word(MONTHS, token.t === 'monthAbbr')
        if (month < 0) return undefined
        break
      case 'weekday':
      case 'weekdayAbbr':
        if (word(DAYS, token.t === 'weekdayAbbr') < 0) return undefined
        break
      case 'day':
        day = digits(2, 2)
        break
      case 'dayPad':
        if (text[i] === ' ') i++
        day = digits(1, 2)
        break
      case 'day1':
        day = digits(1, 2)
        break
      case 'hour':
        hour = digits(2, 2)
        break
      case 'hour12':
        hour = digits(2, 2)
        break
      case 'hour12x':
        hour = digits(1, 2)
        break
      case 'minute':
        minute = digits(2, 2)
        break
      case 'minute1':
        minute = digits(1, 2)
        break
      case 'second':
      case 'second1':
        second = token.t === 'second' ? digits(2, 2) : digits(1, 2)
        // Go accepts a fraction right after the seconds even when the layout has none
        if ((text[i] === '.' || text[i] === ',') && /[0-9]/.test(text[i + 1] ?? '') && !tokens.some((t) => t.t === 'fraction')) {
          i++
          const from = i
          digits(1, 9)
          fraction = text.slice(from, i)
        }
        break
      case 'fraction': {
        if (token.optional && text[i] !== '.' && text[i] !== ',') break
        if (text[i] !== '.' && text[i] !== ',') return undefined
        i++
        const from = i
        if (Number.isNaN(digits(token.optional ? 1 : token.digits, token.optional ? 9 : token.digits))) return undefined
        fraction = text.slice(from, i)
        break
      }
      case 'ampm': {
        const s = text.slice(i, i + 2).toUpperCase()
        if (s !== 'AM' && s !== 'PM') return undefined
        pm = s === 'PM'
        i += 2
        break
      }
      case 'zoneName': {
        const m = /^[A-Za-z]{1,5}|^[+-]\d{2,4}/.exec(text.slice(i))
        if (!m) return undefined
        if (m[0] === 'UTC' || m[0] === 'GMT' || m[0] === 'Z') offset = 0
        i += m[0].length
        break
      }
      case 'offset': {
        if (token.z && text[i] === 'Z') {
          offset = 0
          i++
          break
        }
        const sign = text[i]
        if (sign !== '+' && sign !== '-') return undefined
        i++
        const h = digits(2, 2)
        let m = 0
        if (token.minutes) {
          if (token.colon && text[i++] !== ':') return undefined
          m = digits(2, 2)
        }
        if (token.seconds) {
          if (token.colon && text[i++] !== ':') return undefined
          digits(2, 2)
        }
        if (Number.isNaN(h) || Number.isNaN(m) || h > 23 || m > 59) return undefined
        offset = (sign === '-' ? -1 : 1) * (h * 60 + m)
        break
      }
    }
  }
  if (i !== text.length) return undefined
  if (pm !== undefined) {
    if (hour < 1 || hour > 12) return undefined
    hour = (hour % 12) + (pm ? 12 : 0)
  }
  // a layout without a year (syslog's Stamp): this year, as Filebeat does
  if (Number.isNaN(year)) year = new Date().getUTCFullYear()
  if ([month, day, hour, minute, second].some(Number.isNaN)) return undefined
  if (month < 0 || month > 11 || day < 1 || day > new Date(Date.UTC(year, month + 1, 0)).getUTCDate() || hour > 23 || minute > 59 || second > 60) return undefined
  const ms = offset === undefined ? clock(year, month, day, hour, minute, second) : Date.UTC(year, month, day, hour, minute, second) - offset * 60_000
  const at = new Date(Date.UTC(year, month, day)).getUTCFullYear() === year ? ms : Number.NaN
  const iso = isoText(at, fraction)
  return iso === '' ? undefined : iso
}
