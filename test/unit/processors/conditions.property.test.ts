import { describe, it, expect } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { compileCondition } from '../../../src/processors/index.js'

/** Conditions over two fields, and a tiny reference evaluator written the obvious way. */
type Cond =
  | { equals: { a: number } }
  | { contains: { s: string } }
  | { range: { a: { gte: number } } }
  | { has_fields: string[] }
  | { and: Cond[] }
  | { or: Cond[] }
  | { not: Cond }

function reference(c: Cond, e: { a?: number; s?: string }): boolean {
  if ('equals' in c) return e.a === c.equals.a
  if ('contains' in c) return e.s !== undefined && e.s.includes(c.contains.s)
  if ('range' in c) return e.a !== undefined && e.a >= c.range.a.gte
  if ('has_fields' in c) return c.has_fields.every((f) => (e as Record<string, unknown>)[f] !== undefined)
  if ('and' in c) return c.and.every((x) => reference(x, e))
  if ('or' in c) return c.or.some((x) => reference(x, e))
  return !reference(c.not, e)
}

const { cond } = fc.letrec<{ cond: Cond }>((tie) => ({
  cond: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: 0, max: 3 }).map((a) => ({ equals: { a } })),
    fc.constantFrom('x', 'y', 'xy').map((s) => ({ contains: { s } })),
    fc.integer({ min: 0, max: 3 }).map((gte) => ({ range: { a: { gte } } })),
    fc.subarray(['a', 's']).map((f) => ({ has_fields: f.length === 0 ? ['a'] : f })),
    fc.array(tie('cond'), { minLength: 1, maxLength: 3 }).map((and) => ({ and })),
    fc.array(tie('cond'), { minLength: 1, maxLength: 3 }).map((or) => ({ or })),
    tie('cond').map((not) => ({ not })),
  ),
}))

const event = fc.record({ a: fc.integer({ min: 0, max: 3 }), s: fc.constantFrom('x', 'y', 'xy', 'z') }, { requiredKeys: [] })

describe('conditions (property)', () => {
  test.prop([cond, event])('a compiled condition agrees with the reference evaluator', (c, e) => {
    expect(compileCondition(c)(e)).toBe(reference(c, e))
  })
  test.prop([cond, cond, event])('and/or/not laws: De Morgan, double negation, commutativity', (p, q, e) => {
    const f = (c: unknown) => compileCondition(c)(e)
    expect(f({ not: { and: [p, q] } })).toBe(f({ or: [{ not: p }, { not: q }] }))
    expect(f({ not: { or: [p, q] } })).toBe(f({ and: [{ not: p }, { not: q }] }))
    expect(f({ not: { not: p } })).toBe(f(p))
    expect(f({ and: [p, q] })).toBe(f({ and: [q, p] }))
    expect(f({ or: [p, q] })).toBe(f({ or: [q, p] }))
  })
  it('missing fields make equals, contains, regexp and range false; lists match when one element does', () => {
    expect(compileCondition({ equals: { 'http.response.status_code': 200 } })({ http: { response: { status_code: 200 } } })).toBe(true)
    expect(compileCondition({ equals: { a: 200 } })({ a: '200' })).toBe(false)
    expect(compileCondition({ regexp: { tags: '^b' } })({ tags: ['a', 'bc'] })).toBe(true)
    expect(compileCondition({ range: { 'a.lt': 5 } })({ a: '4' })).toBe(true)
    for (const c of [{ equals: { x: 1 } }, { contains: { x: 'a' } }, { regexp: { x: '.*' } }, { range: { x: { gte: 0 } } }]) expect(compileCondition(c)({})).toBe(false)
  })
})
