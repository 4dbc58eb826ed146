import type { MultilineSettings } from '../../src/tail/modules/catalogue.js'

/**
 * A reference reader of log text into entries, as tail mode does before parsing: lines,
 * joined by the multiline settings (Filebeat semantics), then entries matching any of
 * `excludeLines` (regexes) dropped. Only for the fixture tests; tail mode has its own.
 */
export function splitEntries(text: string, multiline?: MultilineSettings, excludeLines: readonly string[] = []): string[] {
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  let entries: string[]
  if (!multiline) {
    entries = lines
  } else {
    const pattern = new RegExp(multiline.pattern)
    entries = []
    let current: string[] | undefined
    for (const line of lines) {
      const startsEntry = pattern.test(line) === multiline.negate
      if (multiline.match !== 'after') throw new Error('only match: after is used by the catalogue')
      if (startsEntry || current === undefined) {
        if (current) entries.push(current.join('\n'))
        current = [line]
      } else {
        current.push(line)
      }
    }
    if (current) entries.push(current.join('\n'))
  }
  const excludes = excludeLines.map((e) => new RegExp(e))
  return entries.filter((entry) => !excludes.some((e) => e.test(entry)))
}

/** `{ a: { b: 1 } }` → `{ 'a.b': 1 }`; arrays and other values are leaves. */
export function flatten(value: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [key, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) flatten(v as Record<string, unknown>, path, out)
    else out[path] = v
  }
  return out
}
