import { describe, expect, it } from 'vitest'
import { resolveOptions } from '../../src/options/resolve.js'
import { OptionError } from '../../src/errors.js'

// With a filter_path that leaves out the items' status, Elasticsearch drops the items that
// succeeded from the reply: logship then cannot tell which events of a batch failed, resends
// the whole batch (storing the others again each time) and finally dead-letters events that
// were stored. Such a filterPath is refused up front.

function problems(filterPath: unknown): readonly string[] {
  try {
    resolveOptions({ output: { type: 'elasticsearch', hosts: ['http://127.0.0.1:9200'], filterPath } })
  } catch (err) {
    if (err instanceof OptionError) return err.problems
    throw err
  }
  return []
}

describe('output.filterPath must keep what logship reads from a bulk reply', () => {
  it.each([
    'errors,items.*.error,items.*.status',
    'errors,items',
    'errors,items.*',
    '*',
    '**',
    'errors,**.status',
    'took,errors,items.*.status,items.*._id',
    'errors,items.*.stat*',
  ])('accepts %s', (filterPath) => {
    expect(problems(filterPath)).toEqual([])
  })

  it('accepts false (full replies)', () => {
    expect(problems(false)).toEqual([])
  })

  it.each([
    ['errors,items.*.error', /items\.\*\.status/],
    ['items.*.error,items.*.status', /errors/],
    ['errors,items.*.status,-items.*.status', /items\.\*\.status/],
    ['took', /errors and items\.\*\.status/],
  ])('refuses %s, saying what it leaves out and what to keep', (filterPath, missing) => {
    const found = problems(filterPath)
    expect(found).toHaveLength(1)
    expect(found[0]).toMatch(/^output\.filterPath: /)
    expect(found[0]).toMatch(missing)
    expect(found[0]).toMatch(/keep errors and items\.\*\.status in it .*or set false/)
  })
})
