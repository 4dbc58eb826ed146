import { describe, it, expect } from 'vitest'
import pino from 'pino'
import { pinoDestination } from 'logship/pino'
import { startSink } from '../helpers/sink.js'

// pino lets a log call set `time` (the last key wins when the line is parsed). A number outside
// a Date's range made the ECS mapping throw RangeError: out of logger.info() into the app with
// the destination, and in pino's worker with the transport, whose stream then died and every
// later line was lost.
const FAR = 8.64e15 + 1

const flushed = (logger: pino.Logger): Promise<void> => new Promise((resolve, reject) => logger.flush((err) => (err ? reject(err) : resolve())))

describe('ecs: true and a time no Date can hold', () => {
  it('pinoDestination: logger.info() does not throw and both lines are shipped', async () => {
    const sink = await startSink()
    const destination = pinoDestination({ output: { type: 'http', url: sink.url }, batch: { flushMs: 10 }, ecs: true })
    const logger = pino(destination)
    logger.info({ time: FAR }, 'far away')
    logger.info('next')
    await flushed(logger)
    const events = await sink.events()
    expect(events.map((e) => e.message)).toEqual(['far away', 'next'])
    expect(events[0]).toMatchObject({ time: FAR })
    await destination.end()
    await sink.close()
  })

  it('the transport: the line is shipped and the lines after it too', async () => {
    const sink = await startSink()
    const transport = pino.transport({ target: 'logship/pino', options: { output: { type: 'http', url: sink.url }, batch: { flushMs: 10 }, ecs: true } })
    const logger = pino(transport)
    logger.info({ time: FAR }, 'far away')
    logger.info('next')
    await flushed(logger)
    const events = await sink.events()
    expect(events.map((e) => e.message)).toEqual(['far away', 'next'])
    await new Promise<void>((resolve) => {
      transport.once('close', resolve)
      transport.end()
    })
    await sink.close()
  })
})
