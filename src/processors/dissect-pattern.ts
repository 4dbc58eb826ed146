import { ProcessorConfigProblem } from './types.js'

/**
 * Filebeat's dissect tokenizer, compiled once: literal delimiters between `%{...}` keys.
 *
 * - `%{key}` the text up to the next delimiter (the last key takes the rest);
 * - `%{+key}` appended to `key` (joined with a space), `%{+key/2}` in that order;
 * - `%{?key}` and `%{}` matched and thrown away;
 * - `%{key->}` the delimiter after it may repeat (padding);
 * - `%{*key}` / `%{&key}`: the first's text names a field, the second's text is its value;
 * - `%{key|integer}` converts (integer, long, float, double, boolean, ip... as in Filebeat).
 */
export type Conversion = 'integer' | 'long' | 'float' | 'double' | 'boolean' | 'string' | 'ip'
const CONVERSIONS: readonly string[] = ['integer', 'long', 'float', 'double', 'boolean', 'string', 'ip']

export interface DissectKey {
  readonly name: string
  readonly kind: 'normal' | 'skip' | 'append' | 'indirectName' | 'indirectValue'
  readonly order: number
  readonly padding: boolean
  readonly conversion: Conversion | undefined
  /** Literal text after this key; '' for the last key when the pattern ends with a key. */
  readonly delimiter: string
}

export interface DissectPattern {
  readonly prefix: string
  readonly keys: readonly DissectKey[]
}

const KEY = /%\{([^}]*)\}/g

/** Throws ProcessorConfigProblem at ['tokenizer'] when the pattern cannot work. */
export function parseDissectPattern(tokenizer: string): DissectPattern {
  const problem = (message: string) => new ProcessorConfigProblem(['tokenizer'], message)
  const keys: DissectKey[] = []
  let prefix = ''
  let last = 0
  let position = 0
  for (const match of tokenizer.matchAll(KEY)) {
    const literal = tokenizer.slice(last, match.index)
    if (keys.length === 0) prefix = literal
    else if (literal === '')
      throw problem(`keys ${keys.at(-1)!.name || '%{}'} and ${match[1] || '%{}'} have no text between them; dissect needs a delimiter to know where one ends`)
    else keys[keys.length - 1] = { ...keys.at(-1)!, delimiter: literal }
    keys.push(parseKey(match[1]!, position++, problem))
    last = match.index + match[0].length
  }
  if (keys.length === 0) throw problem("expected at least one key such as '%{client} %{status}'")
  const rest = tokenizer.slice(last)
  if (rest.includes('%{')) throw problem(`unclosed key at ${JSON.stringify(rest)}; a key is written %{name}`)
  keys[keys.length - 1] = { ...keys.at(-1)!, delimiter: rest }
  const names = new Set(keys.filter((k) => k.kind === 'indirectName').map((k) => k.name))
  for (const k of keys) if (k.kind === 'indirectValue' && !names.has(k.name)) throw problem(`%{&${k.name}} has no %{*${k.name}} naming its field`)
  return { prefix, keys }
}

function parseKey(body: string, position: number, problem: (m: string) => Error): DissectKey {
  let text = body
  let conversion: Conversion | undefined
  const bar = text.indexOf('|')
  if (bar !== -1) {
    const type = text.slice(bar + 1)
    if (!CONVERSIONS.includes(type)) throw problem(`unknown conversion |${type} in %{${body}}; expected one of ${CONVERSIONS.join(', ')}`)
    conversion = type as Conversion
    text = text.slice(0, bar)
  }
  let padding = false
  if (text.endsWith('->')) {
    padding = true
    text = text.slice(0, -2)
  }
  let kind: DissectKey['kind'] = 'normal'
  const modifier = text[0]
  if (text === '' || modifier === '?') kind = 'skip'
  else if (modifier === '+') kind = 'append'
  else if (modifier === '*') kind = 'indirectName'
  else if (modifier === '&') kind = 'indirectValue'
  if (kind !== 'normal' && text !== '') text = text.slice(1)
  let order = position
  const slash = text.lastIndexOf('/')
  if (slash !== -1 && kind === 'append') {
    order = Number(text.slice(slash + 1))
    if (!Number.isInteger(order)) throw problem(`expected a whole number after / in %{${body}}`)
    text = text.slice(0, slash)
  }
  if (kind !== 'skip' && text === '') throw problem(`%{${body}} has no key name`)
  return { name: text, kind, order, padding, conversion, delimiter: '' }
}

/**
 * Splits `text` by the pattern: the captured values in key order (skipped keys included), or
 * undefined when the text does not have the pattern's shape.
 */
export function matchDissect(pattern: DissectPattern, text: string): string[] | undefined {
  if (!text.startsWith(pattern.prefix)) return undefined
  const keys = pattern.keys
  const values: string[] = new Array(keys.length)
  let at = pattern.prefix.length
  const lastKey = keys.length - 1
  for (let i = 0; i < keys.length; i++) {
    const { delimiter, padding } = keys[i]!
    if (i === lastKey) {
      // the last key takes the rest, less the pattern's trailing text
      if (delimiter === '') {
        values[i] = text.slice(at)
        return values
      }
      if (!text.endsWith(delimiter) || text.length - delimiter.length < at) return undefined
      const end = text.indexOf(delimiter, at)
      values[i] = text.slice(at, end)
      at = end + delimiter.length
      if (padding) while (text.startsWith(delimiter, at)) at += delimiter.length
      return at === text.length ? values : undefined
    }
    const end = text.indexOf(delimiter, at)
    if (end === -1) return undefined
    values[i] = text.slice(at, end)
    at = end + delimiter.length
    if (padding) while (text.startsWith(delimiter, at)) at += delimiter.length
  }
  return values
}
