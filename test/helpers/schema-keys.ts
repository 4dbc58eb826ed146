import type { z } from 'zod'

/** One documented option: its key path (`queue.maxBytes`, `inputs[].paths`) and its default, if it has one. */
export interface OptionKey {
  readonly path: string
  /** Output or input type this key belongs to (for keys under a discriminated union). */
  readonly variant?: string
  readonly hasDefault: boolean
  readonly defaultValue?: unknown
}

interface Def {
  type: string
  innerType?: z.ZodType
  shape?: Record<string, z.ZodType>
  element?: z.ZodType
  options?: z.ZodType[]
  discriminator?: string
  defaultValue?: unknown
  in?: z.ZodType
  out?: z.ZodType
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def

/**
 * Every key of an options schema, walked through zod 4's definitions: objects are entered,
 * optional/default/prefault wrappers unwrapped (defaults recorded), arrays of objects entered
 * as `key[]`, discriminated unions entered once per variant. Everything else is a leaf.
 */
export function schemaKeys(schema: z.ZodType, prefix = '', variant?: string, inherited?: { value: unknown }): OptionKey[] {
  const def = defOf(schema)
  if (def.type === 'default') return schemaKeys(def.innerType!, prefix, variant, { value: def.defaultValue })
  if (def.type === 'optional' || def.type === 'prefault' || def.type === 'nullable') return schemaKeys(def.innerType!, prefix, variant, inherited)
  if (def.type === 'object') {
    const keys: OptionKey[] = []
    if (prefix && inherited && !isPlainObjectDefault(inherited.value)) keys.push(leaf(prefix, variant, inherited))
    for (const [name, child] of Object.entries(def.shape!)) {
      keys.push(...schemaKeys(child, prefix ? `${prefix}.${name}` : name, variant))
    }
    return keys
  }
  if (def.type === 'array' && defOf(def.element!).type !== 'string' && ['object', 'union'].includes(defOf(def.element!).type)) {
    return schemaKeys(def.element!, `${prefix}[]`, variant)
  }
  if (def.type === 'union' && def.discriminator) {
    return def.options!.flatMap((option) => {
      const literal = defOf(defOf(option).shape![def.discriminator!]!) as unknown as { values: string[] }
      return schemaKeys(option, prefix, literal.values[0])
    })
  }
  return [leaf(prefix, variant, inherited)]
}

function isPlainObjectDefault(value: unknown): boolean {
  return typeof value === 'object' && value !== null
}

function leaf(path: string, variant: string | undefined, inherited: { value: unknown } | undefined): OptionKey {
  const base = variant === undefined ? { path } : { path, variant }
  return inherited ? { ...base, hasDefault: true, defaultValue: inherited.value } : { ...base, hasDefault: false }
}
