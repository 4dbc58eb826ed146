/**
 * A schema built on first use instead of at import: `import 'logship'` then costs no schema
 * construction (zod's classic schemas are slow to build, about 30 ms for all of ours), and
 * the first `createShipper()` / config check pays it once. The value stands in for the schema
 * everywhere (`.safeParse`, `.shape`, nesting in other schemas, `instanceof`): every access is
 * forwarded to the schema, built the first time anything touches it.
 */
export function lazySchema<T extends object>(build: () => T): T {
  let built: T | undefined
  const schema = (): T => {
    built ??= build()
    return built
  }
  return new Proxy({} as T, {
    get: (_target, key) => Reflect.get(schema(), key),
    set: (_target, key, value) => Reflect.set(schema(), key, value),
    has: (_target, key) => Reflect.has(schema(), key),
    ownKeys: () => Reflect.ownKeys(schema()),
    // Reported configurable: the proxy's own (empty) target must not contradict what it reports.
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(schema(), key)
      return descriptor === undefined ? undefined : { ...descriptor, configurable: true }
    },
    defineProperty: (_target, key, descriptor) => Reflect.defineProperty(schema(), key, descriptor),
    deleteProperty: (_target, key) => Reflect.deleteProperty(schema(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(schema()),
  })
}
