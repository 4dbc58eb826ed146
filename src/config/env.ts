import { parse as parseYaml, visit, isPair, isScalar, type Document, type Scalar } from 'yaml'
import { SECRET_KEY } from '../redact.js'

/** `${NAME}`, `${NAME:-default}`; `$${` stays a literal `${`. */
const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g
const WHOLE = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}$/

export interface EnvProblem {
  /** Offset of the scalar in the YAML text. */
  readonly at: number
  readonly message: string
}

/** Expands references in one string; unset variables without a default are reported. */
export function expandString(text: string, env: NodeJS.ProcessEnv, missing: (name: string) => void): string {
  return text.replace(REFERENCE, (whole, name: string | undefined, fallback: string | undefined) => {
    if (whole === '$${') return '${'
    const value = env[name!]
    if (value !== undefined && value !== '') return value
    if (fallback !== undefined) return fallback
    if (value === '') return ''
    missing(name!)
    return ''
  })
}

/**
 * Expands environment references in every scalar value of the document (never in keys), in
 * place. An unquoted scalar that is one whole reference takes the type of what it expands to
 * (`scanIntervalMs: ${SCAN_MS:-1000}` is a number), as if the value had been written there;
 * except secrets and header values, which are always text (a password `007` is not the number 7).
 */
export function expandEnv(doc: Document, env: NodeJS.ProcessEnv = process.env): EnvProblem[] {
  const problems: EnvProblem[] = []
  visit(doc, {
    Scalar(key, node: Scalar, path) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return
      const at = node.range?.[0] ?? 0
      const source = node.value
      const expanded = expandString(source, env, (name) =>
        problems.push({ at, message: `\${${name}} is not set; set the environment variable or give a default: \${${name}:-value}` }),
      )
      node.value = node.type === 'PLAIN' && WHOLE.test(source) && !alwaysText(path) ? typed(expanded) : expanded
    },
  })
  return problems
}

function typed(text: string): unknown {
  if (text === '') return ''
  try {
    const value: unknown = parseYaml(text)
    return value === null || typeof value === 'object' ? text : value
  } catch {
    return text
  }
}

/** A secret (`password`, `token`, `apiKey`, ...) or a header value: text whatever it looks like. */
function alwaysText(path: readonly unknown[]): boolean {
  const name = (at: number): string | undefined => {
    const pair = path[path.length - at]
    return isPair(pair) && isScalar(pair.key) ? String(pair.key.value) : undefined
  }
  const key = name(1)
  // path ends with the scalar's pair; two steps up is the pair holding its map (`headers: { ... }`)
  return (key !== undefined && SECRET_KEY.test(key)) || name(3)?.toLowerCase() === 'headers'
}
