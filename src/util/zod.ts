import type { z as Zod } from 'zod'
import { lazyRequire } from './lazy-require.js'

const zod = lazyRequire<{ z: typeof Zod }>('zod')

/**
 * zod, loaded on first use rather than with `import 'logship'` (it costs about 70 ms of CPU to
 * load). Option checks are synchronous (`createShipper()` throws), so it is required, not
 * imported: every schema of ours is built inside a lazySchema on first validation, and all of
 * them use this one copy of zod (the CommonJS build, in both of our builds), so they compose.
 */
export const z: typeof Zod = new Proxy({} as typeof Zod, {
  get: (_target, key) => Reflect.get(zod().z, key),
})

/** The zod types our code names (`z.output<typeof schema>` and so on), as zod declares them. */
export declare namespace z {
  export type output<T> = Zod.output<T>
  export type input<T> = Zod.input<T>
  export type ZodType<O = unknown, I = unknown> = Zod.ZodType<O, I>
  export type ZodRawShape = Zod.ZodRawShape
  export type ZodObject<S extends Zod.ZodRawShape = Zod.ZodRawShape> = Zod.ZodObject<S>
  export type ZodLiteral<T extends Zod.core.util.Literal = Zod.core.util.Literal> = Zod.ZodLiteral<T>
  export namespace core {
    export type $ZodIssue = Zod.core.$ZodIssue
  }
}
