import { describe, it, expect } from 'vitest'
import { backoffDelay } from '../../src/util/backoff.js'
import { OrderedAcks } from '../../src/util/ordered-acks.js'
import { Stamper } from '../../src/engine/stamp.js'
import { rankOfEvent } from '../../src/record/level.js'
import { parseSize } from '../../src/options/size.js'
import { retryAfterMs } from '../../src/outputs/http-status.js'

describe('backoff', () => {
  it('grows exponentially from the initial delay, stays within [initial, max], and jitters', () => {
    expect(backoffDelay(1, 100, 10_000, () => 0.99)).toBe(100)
    expect(backoffDelay(3, 100, 10_000, () => 1)).toBe(400)
    expect(backoffDelay(3, 100, 10_000, () => 0)).toBe(100)
    expect(backoffDelay(60, 100, 10_000, () => 1)).toBe(10_000)
    const samples = Array.from({ length: 50 }, () => backoffDelay(5, 100, 10_000))
    expect(new Set(samples).size).toBeGreaterThan(10)
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(100)
    expect(Math.max(...samples)).toBeLessThanOrEqual(1600)
  })
})

describe('ordered acks', () => {
  it('moves the watermark only over a contiguous prefix of settled groups', () => {
    const t = new OrderedAcks()
    const a = t.open(0, 10, 10)
    const b = t.open(10, 20, 10)
    const c = t.open(20, 25, 6) // 5 events and a loss marker
    expect(t.watermark(25)).toBe(0)
    expect(t.ack(b, 10)).toBe(false)
    expect(t.watermark(25)).toBe(0)
    t.ack(a, 4)
    expect(t.watermark(25)).toBe(0)
    expect(t.ack(a, 6)).toBe(true)
    expect(t.watermark(25)).toBe(20)
    t.ack(c, 6)
    expect(t.watermark(25)).toBe(25)
    expect(t.openGroups).toBe(0)
  })
})

describe('stamper', () => {
  it('adds @timestamp only when there is neither @timestamp nor time, and splices fields in', () => {
    const now = Date.UTC(2026, 10, 24, 12, 0, 0)
    const plain = new Stamper(undefined)
    expect(plain.stamp(Buffer.from('{"a":1}'), now).toString()).toBe('{"@timestamp":"2026-11-24T12:00:00.000Z","a":1}')
    expect(plain.stamp(Buffer.from('{"time":5,"a":1}'), now).toString()).toBe('{"time":5,"a":1}')
    expect(plain.stamp(Buffer.from('{}'), now).toString()).toBe('{"@timestamp":"2026-11-24T12:00:00.000Z"}')
    const withFields = new Stamper({ env: 'prod', service: { name: 's', version: '1' } })
    expect(JSON.parse(withFields.stamp(Buffer.from('{"@timestamp":"x","a":1}'), now).toString())).toEqual({
      '@timestamp': 'x',
      env: 'prod',
      service: { name: 's', version: '1' },
      a: 1,
    })
    expect(JSON.parse(withFields.stamp(Buffer.from('{"@timestamp":"x","service":{"name":"own"}}'), now).toString())).toEqual({
      '@timestamp': 'x',
      env: 'prod',
      service: { name: 'own', version: '1' },
    })
  })
})

describe('levels', () => {
  it('reads names, aliases and pino numbers from objects and JSON text', () => {
    expect(rankOfEvent({ level: 'warn' })).toBe(3)
    expect(rankOfEvent({ level: 50 })).toBe(4)
    expect(rankOfEvent({ 'log.level': 'ERROR' })).toBe(4)
    expect(rankOfEvent({ log: { level: 'debug' } })).toBe(1)
    expect(rankOfEvent('{"level":60,"msg":"x"}')).toBe(5)
    expect(rankOfEvent('{"severity":"warning"}')).toBe(3)
    expect(rankOfEvent({ msg: 'no level' })).toBe(2)
  })
})

describe('sizes and Retry-After', () => {
  it('parses sizes with binary units', () => {
    expect(parseSize('32mb')).toBe(32 * 1024 * 1024)
    expect(parseSize('1gb')).toBe(1024 ** 3)
    expect(parseSize('512 KiB')).toBe(512 * 1024)
    expect(parseSize('4096')).toBe(4096)
    expect(parseSize('lots')).toBeUndefined()
    expect(parseSize('5 parsecs')).toBeUndefined()
  })
  it('reads Retry-After in seconds or as a date', () => {
    expect(retryAfterMs('3')).toBe(3000)
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4000)).toBe(6000)
    expect(retryAfterMs(undefined)).toBeUndefined()
  })
})
