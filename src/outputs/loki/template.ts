/**
 * Label templates: literal text with `{field.path}` placeholders, filled from an event. A path
 * is looked up as a dotted key first (`"service.name": ...`), then through nested objects
 * (`service: { name }`). `{{` and `}}` stand for literal braces.
 */

type Part = { readonly text: string } | { readonly path: string }

export interface Template {
  readonly parts: readonly Part[]
  /** True when the template has no placeholder. */
  readonly fixed: boolean
  readonly problem?: string
}

export function parseTemplate(source: string): Template {
  const parts: Part[] = []
  let text = ''
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!
    if ((c === '{' || c === '}') && source[i + 1] === c) {
      text += c
      i++
      continue
    }
    if (c === '}') return { parts, fixed: false, problem: `unmatched } at ${i + 1} in ${JSON.stringify(source)}; write }} for a literal brace` }
    if (c !== '{') {
      text += c
      continue
    }
    const end = source.indexOf('}', i)
    const path = end === -1 ? '' : source.slice(i + 1, end).trim()
    if (end === -1 || path === '' || path.includes('{'))
      return { parts, fixed: false, problem: `expected {field.path} at ${i + 1} in ${JSON.stringify(source)}; write {{ for a literal brace` }
    if (text) parts.push({ text })
    text = ''
    parts.push({ path })
    i = end
  }
  if (text) parts.push({ text })
  return { parts, fixed: parts.every((p) => 'text' in p) }
}

/** The template filled from `event`; undefined when a placeholder's field is missing (or null, or an object). */
export function fillTemplate(template: Template, event: Record<string, unknown>): string | undefined {
  let out = ''
  for (const part of template.parts) {
    if ('text' in part) {
      out += part.text
      continue
    }
    const value = lookup(event, part.path)
    if (value === undefined || value === null || typeof value === 'object') return undefined
    out += String(value)
  }
  return out
}

function lookup(event: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(event, path)) return event[path]
  let at: unknown = event
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, key)) return undefined
    at = (at as Record<string, unknown>)[key]
  }
  return at
}
