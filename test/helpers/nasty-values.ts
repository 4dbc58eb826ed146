import { fc } from '@fast-check/vitest'

/** An object nested `depth` levels deep: {a:{a:{...}}}. */
export function deeplyNested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true }
  for (let i = 0; i < depth; i++) value = { a: value }
  return value
}

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({ a: 1 }, {})
  revoke()
  return proxy
}

function throwingProxy(): object {
  const fail = (): never => {
    throw new Error('trap says no')
  }
  return new Proxy({}, { get: fail, ownKeys: fail, getPrototypeOf: fail, has: fail, getOwnPropertyDescriptor: fail })
}

function circular(): object {
  const a: Record<string, unknown> = { name: 'a' }
  a.self = a
  return a
}

const withToJSON = (result: () => unknown): object => ({ toJSON: result, other: 1 })

/** Values a producer may hand to write() that are not plain JSON objects, each built fresh. */
const special: fc.Arbitrary<() => unknown> = fc.constantFrom<() => unknown>(
  () => new Date('2025-01-01T00:00:00.000Z'),
  () => new Date(Number.NaN),
  () => withToJSON(() => 'a string from toJSON'),
  () => withToJSON(() => 42),
  () => withToJSON(() => null),
  () => withToJSON(() => undefined),
  () => withToJSON(() => [1, 2]),
  () => withToJSON(() => '{"looks":"like json"}'),
  () =>
    withToJSON(() => {
      throw new Error('toJSON failed')
    }),
  () => {
    const again = (): unknown => ({ toJSON: again })
    return { toJSON: again }
  },
  () => deeplyNested(10_000),
  () => deeplyNested(300),
  () => revokedProxy(),
  () => ({ nested: revokedProxy() }),
  () => throwingProxy(),
  () => ({ nested: throwingProxy() }),
  () => circular(),
  () => ({
    get boom(): never {
      throw new Error('getter failed')
    },
    fine: 1,
  }),
  () =>
    new Map<unknown, unknown>([
      ['k', 1],
      [2, { b: 2n }],
    ]),
  () => new Set([1, 'two']),
  () => new Error('plain error', { cause: new Error('the cause') }),
  () => Object.assign(Object.create(null) as object, { bare: true }),
  () => new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x31, 0x7d]),
  () => new Uint8Array([0xff, 0xfe, 0x7b]),
  () => 10n ** 30n,
  () => Symbol('s'),
  () => () => 'a function',
  () => Number.NaN,
  () => "{'a': 1}",
  () => '{oops}',
  () => '{"a":1}\n{"b":2}',
  () => '  {"padded": true}  ',
  () => '{\n  "pretty": true\n}',
  () => '{"a":"\u2028 line separator"}',
  () => '{"lone":"\ud800"}',
)

/** A value to write, made only when the test calls it (fast-check must not inspect a throwing Proxy itself). */
export type EventMaker = () => unknown

const made = (value: unknown, label: string): EventMaker => Object.assign(() => value, { toString: () => label })

/** Anything at all: fast-check's own anything, JSON-ish text, broken JSON text, and the specials above. */
export const anyEvent: fc.Arbitrary<EventMaker> = fc.oneof(
  fc
    .anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withBoxedValues: true, withSparseArray: true })
    .map((v) => made(v, fc.stringify(v))),
  fc.json().map((j) => made(j, JSON.stringify(j))),
  fc
    .json()
    .map((j) => (j.length > 1 ? j.slice(0, -1) : `${j}}`))
    .map((j) => made(j, JSON.stringify(j))),
  fc
    .string()
    .map((s) => `{${s}}`)
    .map((j) => made(j, JSON.stringify(j))),
  special.map((make) => Object.assign(() => make(), { toString: () => make.toString() })),
)
