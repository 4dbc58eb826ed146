/**
 * Event times as Unix nanoseconds (fixed64 in OTLP). `@timestamp` (ISO 8601 text, any number
 * of fraction digits: nanoseconds are kept) wins over `time` (ISO text, or epoch milliseconds
 * as pino writes them). A value that is no time gives 0n, which OTLP reads as "unknown".
 */

const ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/i

export function unixNanosOf(value: unknown): bigint {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return 0n
    const ms = Math.floor(value)
    return BigInt(ms) * 1_000_000n + BigInt(Math.round((value - ms) * 1e6))
  }
  if (typeof value !== 'string') return 0n
  const m = ISO.exec(value)
  if (!m) {
    const ms = Date.parse(value)
    return Number.isNaN(ms) || ms < 0 ? 0n : BigInt(ms) * 1_000_000n
  }
  const seconds = Date.parse(`${m[1]}${m[3]}`)
  if (Number.isNaN(seconds) || seconds < 0) return 0n
  const fraction = (m[2] ?? '').slice(0, 9).padEnd(9, '0')
  return BigInt(seconds) * 1_000_000n + BigInt(fraction)
}
