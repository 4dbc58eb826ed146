import { expect } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { withTimestamp } from '../../src/outputs/elasticsearch/timestamp.js'

// withTimestamp remembers the last `time` it converted (loggers write many records per
// millisecond): whatever order times come in, each record must get its own time's @timestamp.

const epochMs = fc.integer({ min: 100_000_000, max: 4_102_444_800_000 })
const isoText = fc.date({ min: new Date(0), max: new Date(4_102_444_800_000), noInvalidDate: true }).map((d) => JSON.stringify(d.toISOString()))
const notATime = fc.constantFrom('true', '"soon"', '"2024-01-01T00:00:00Z\\""', '12', '-1700000000000', '1e12')

/** [the value of "time" as JSON text, the @timestamp text expected (undefined: left alone)] */
const timeValue = fc.oneof(
  epochMs.map((ms): [string, string | undefined] => [String(ms), JSON.stringify(new Date(ms).toISOString())]),
  isoText.map((t): [string, string | undefined] => [t, t]),
  notATime.map((t): [string, string | undefined] => [t, undefined]),
)

test.prop([fc.array(fc.oneof({ weight: 1, arbitrary: timeValue }, { weight: 3, arbitrary: fc.constant(undefined) }), { minLength: 1, maxLength: 60 })])(
  'each record gets the @timestamp of its own time, whatever came before it',
  (draws) => {
    // undefined: repeat the previous draw (the same millisecond again)
    let previous: [string, string | undefined] = ['1700000000123', '"2023-11-14T22:13:20.123Z"']
    for (const draw of draws) {
      const [time, expected] = draw ?? previous
      previous = [time, expected]
      const record = `{"level":30,"time":${time},"msg":"x"}`
      const out = withTimestamp(Buffer.from(record)).toString()
      expect(out).toBe(expected === undefined ? record : `{"@timestamp":${expected},${record.slice(1)}`)
    }
  },
)
