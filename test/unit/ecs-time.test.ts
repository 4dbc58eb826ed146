import { expect, describe } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { ecsFromPino, ecsFromWinston, DEFAULT_PINO_KEYS } from '../../adapters/ecs.js'

// A `time` / `timestamp` number outside the range of a Date (|ms| > 8.64e15) passed the
// finite-number check and made toISOString() throw RangeError: ecs mapping threw out of
// pinoDestination.write() into logger.info(), and out of the transport's stream in pino's worker.

const KEYS = fc.constantFrom(
  'msg',
  'message',
  'err',
  'error',
  'level',
  'time',
  'timestamp',
  'pid',
  'hostname',
  'name',
  'stack',
  'code',
  'cause',
  'log',
  'service',
  'host',
  '@timestamp',
  'event',
)
const time = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constant(8.64e15 + 1),
  fc.constant(-8.64e15 - 1),
  fc.string(),
  // an invalid Date has no ISO form (toISOString throws): its string, 'Invalid Date', instead
  fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? String(d) : d.toISOString())),
)

describe('ECS mapping never throws', () => {
  test.prop([fc.dictionary(KEYS, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 8 }), time], { numRuns: 1000 })('pino records (as parsed from a line)', (record, t) => {
    const doc = JSON.parse(JSON.stringify({ ...record, time: t })) as Record<string, unknown>
    expect(typeof JSON.stringify(ecsFromPino(doc, DEFAULT_PINO_KEYS))).toBe('string')
  })

  test.prop(
    [fc.dictionary(KEYS, fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withBoxedValues: true }), { maxKeys: 8 }), time],
    { numRuns: 1000 },
  )('winston info objects', (info, t) => {
    expect(typeof ecsFromWinston({ ...info, timestamp: t })).toBe('object')
  })

  test('an out-of-range time stays where it was, not as @timestamp', () => {
    expect(ecsFromPino({ time: 8.64e15 + 1, msg: 'far' }, DEFAULT_PINO_KEYS)).toMatchObject({ message: 'far', time: 8.64e15 + 1 })
    expect(ecsFromPino({ time: 8.64e15 + 1, msg: 'far' }, DEFAULT_PINO_KEYS)['@timestamp']).toBeUndefined()
  })
})
