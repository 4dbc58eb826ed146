import { z } from '../util/zod.js'

const UNITS: Record<string, number> = { b: 1, kb: 1024, kib: 1024, mb: 1024 ** 2, mib: 1024 ** 2, gb: 1024 ** 3, gib: 1024 ** 3 }

/** Parses `32mb`, `1gb`, `512kb`, `4096` (units are binary: 1kb = 1024 bytes). */
export function parseSize(value: string | number): number | undefined {
  if (typeof value === 'number') return value
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value)
  if (!m) return undefined
  const unit = UNITS[(m[2] ?? '').toLowerCase() || 'b']
  return unit === undefined ? undefined : Math.floor(Number(m[1]) * unit)
}

/** A byte size: a positive integer, or a string such as `32mb` (YAML configs use these). */
export function byteSize(max: number, min = 1, whyMin = ''): z.ZodType<number, number | string> {
  return z
    .union([z.number(), z.string()])
    .transform((v, ctx) => {
      const n = parseSize(v)
      if (n === undefined) {
        ctx.addIssue({ code: 'custom', message: 'expected a byte size such as 4096, "512kb", "32mb" or "1gb"', input: v })
        return z.NEVER
      }
      return n
    })
    .pipe(
      z
        .number()
        .int('expected a whole number of bytes')
        .min(min, min === 1 ? 'expected a size of at least 1 byte' : `expected at least ${min} bytes (${min / 1024}kb)${whyMin ? `: ${whyMin}` : ''}`)
        .max(max, `expected at most ${max} bytes`),
    )
}
