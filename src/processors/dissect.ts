import { z } from '../util/zod.js'
import { convertValue } from './convert-value.js'
import { matchDissect, parseDissectPattern } from './dissect-pattern.js'
import { fieldPath, getField, hasField, setField, type FieldPath } from './fields.js'
import { ProcessorFailure, type ProcessorDefinition } from './types.js'
import { lazySchema } from '../util/lazy-schema.js'

const schema = lazySchema(() =>
  z.strictObject({
    /** The pattern: `%{key}` and literal text (dissect-pattern.ts). */
    tokenizer: z.string('expected a pattern such as "%{client.ip} %{?ident} %{user.name}"').min(1, 'expected a pattern such as "%{client.ip} %{?ident} %{user.name}"'),
    field: z.string('expected a field name').min(1, 'expected a field name').default('message'),
    /** Where the keys go; '' puts them at the top of the event. */
    targetPrefix: z.string('expected a field name, or "" for the top level').default('dissect'),
    /** true: an event that does not match is left as it is, untagged. */
    ignoreFailure: z.boolean('expected true or false').default(false),
    /** true: keys that already exist in the event are replaced (otherwise the event fails). */
    overwriteKeys: z.boolean('expected true or false').default(false),
    trimValues: z.enum(['none', 'left', 'right', 'all'], 'expected none | left | right | all').default('none'),
    trimChars: z.string('expected the characters to trim, as a string').default(' '),
  }),
)

export const dissect: ProcessorDefinition<typeof schema> = {
  schema,
  compile(o) {
    const pattern = parseDissectPattern(o.tokenizer)
    const source = fieldPath(o.field)
    const pathOf = new Map<string, FieldPath>()
    const target = (name: string): FieldPath => {
      let p = pathOf.get(name)
      if (p === undefined) {
        p = fieldPath(o.targetPrefix === '' ? name : `${o.targetPrefix}.${name}`)
        if (pathOf.size < 1024) pathOf.set(name, p)
      }
      return p
    }
    const keys = pattern.keys
    // appended keys, in their order; a plain key of the same name is their first part
    const appendNames = new Set(keys.filter((k) => k.kind === 'append').map((k) => k.name))
    const appendOrder = keys
      .map((k, i) => ({ k, i }))
      .filter(({ k }) => (k.kind === 'append' || k.kind === 'normal') && appendNames.has(k.name))
      .sort((a, b) => (a.k.kind === 'normal' ? -1 : b.k.kind === 'normal' ? 1 : a.k.order - b.k.order))
    const trim = trimmer(o.trimValues, o.trimChars)
    const run = (event: Record<string, unknown>): boolean => {
      const text = getField(event, source)
      if (typeof text !== 'string') {
        throw new ProcessorFailure(text === undefined ? `field ${o.field} is missing` : `field ${o.field} is not a string`)
      }
      const values = matchDissect(pattern, text)
      if (values === undefined) throw new ProcessorFailure(`the tokenizer does not match ${o.field}`)
      const out: [string, unknown][] = []
      const names = new Map<string, string>()
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!
        if (k.kind === 'indirectName') names.set(k.name, trim(values[i]!))
      }
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!
        if (k.kind === 'skip' || k.kind === 'indirectName' || k.kind === 'append' || appendNames.has(k.name)) continue
        const value = trim(values[i]!)
        const name = k.kind === 'indirectValue' ? names.get(k.name)! : k.name
        out.push([name, k.conversion === undefined ? value : convertValue(value, k.conversion)])
      }
      if (appendOrder.length > 0) {
        const joined = new Map<string, string[]>()
        for (const { k, i } of appendOrder) {
          const list = joined.get(k.name) ?? []
          list.push(trim(values[i]!))
          joined.set(k.name, list)
        }
        for (const [name, parts] of joined) out.push([name, parts.join(' ')])
      }
      if (!o.overwriteKeys) {
        for (const [name] of out)
          if (hasField(event, target(name)))
            throw new ProcessorFailure(`${o.targetPrefix === '' ? name : `${o.targetPrefix}.${name}`} already exists (set overwriteKeys: true to replace it)`)
      }
      for (const [name, value] of out) setField(event, target(name), value)
      return true
    }
    // ignoreFailure: the event is left as it is, untagged (a bad conversion included)
    return o.ignoreFailure
      ? (event) => {
          try {
            return run(event)
          } catch {
            return true
          }
        }
      : run
  },
}

function trimmer(mode: 'none' | 'left' | 'right' | 'all', chars: string): (s: string) => string {
  if (mode === 'none' || chars === '') return (s) => s
  const set = new Set(chars)
  const left = mode === 'left' || mode === 'all'
  const right = mode === 'right' || mode === 'all'
  return (s) => {
    let from = 0
    let to = s.length
    if (left) while (from < to && set.has(s[from]!)) from++
    if (right) while (to > from && set.has(s[to - 1]!)) to--
    return from === 0 && to === s.length ? s : s.slice(from, to)
  }
}
