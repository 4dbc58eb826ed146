import { describe, expect, it } from 'vitest'
import { BlockBudget } from '../../src/shipper/block-budget.js'

describe('BlockBudget (whenFull: block)', () => {
  it('spends the budget across waits while the output makes no progress', () => {
    const budget = new BlockBudget(250)
    expect(budget.left(0)).toBe(250)
    budget.waited(100.5)
    expect(budget.left(0)).toBe(149.5)
    budget.waited(149.5)
    expect(budget.left(0)).toBe(0)
  })

  it('starts afresh once the output has made progress', () => {
    const budget = new BlockBudget(250)
    budget.left(7)
    budget.waited(300)
    expect(budget.left(7)).toBe(-50)
    expect(budget.left(8)).toBe(250)
  })
})
