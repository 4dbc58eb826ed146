import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { lazySchema } from '../../src/util/lazy-schema.js'

describe('lazySchema', () => {
  it('builds the schema on first use, once, and stands in for it everywhere', () => {
    let builds = 0
    const inner = lazySchema(() => {
      builds++
      return z.strictObject({ type: z.literal('x'), n: z.number().int('expected a whole number').default(1) })
    })
    const outer = lazySchema(() => z.strictObject({ inner: inner.optional() }))
    expect(builds).toBe(0)

    expect(outer.parse({ inner: { type: 'x' } })).toEqual({ inner: { type: 'x', n: 1 } })
    const bad = inner.safeParse({ type: 'x', n: 1.5 })
    expect(bad.success).toBe(false)
    expect(bad.error?.issues[0]?.message).toBe('expected a whole number')
    expect(inner.shape.type.value).toBe('x')
    expect(inner).toBeInstanceOf(z.ZodObject)
    expect(Object.keys(inner)).toContain('safeParse')
    expect(z.discriminatedUnion('type', [inner]).parse({ type: 'x' })).toEqual({ type: 'x', n: 1 })
    expect(builds).toBe(1)
  })
})
