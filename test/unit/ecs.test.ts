import { describe, it, expect } from 'vitest'
import { ecsFromPino, ecsFromWinston, ECS_VERSION } from '../../adapters/ecs.js'

const pinoLine = { level: 30, time: 1764000000000, pid: 42, hostname: 'web-1', msg: 'hello', reqId: 'r1' }

describe('ecsFromPino, field by field', () => {
  it('time → @timestamp (ISO)', () => {
    expect(ecsFromPino({ time: 1764000000000 })).toEqual({ '@timestamp': '2025-11-24T16:00:00.000Z', ecs: { version: ECS_VERSION } })
    expect(ecsFromPino({ time: '2025-11-24T16:00:00.000Z' })['@timestamp']).toBe('2025-11-24T16:00:00.000Z')
  })
  it('level number → log.level name, custom levels by the labels pino sent', () => {
    expect(ecsFromPino({ level: 10 }).log).toEqual({ level: 'trace' })
    expect(ecsFromPino({ level: 40 }).log).toEqual({ level: 'warn' })
    expect(ecsFromPino({ level: 60 }).log).toEqual({ level: 'fatal' })
    expect(ecsFromPino({ level: 35 }).log).toEqual({ level: '35' })
    expect(ecsFromPino({ level: 35 }, { messageKey: 'msg', errorKey: 'err', labels: { 35: 'notice' } }).log).toEqual({ level: 'notice' })
    expect(ecsFromPino({ level: 30 })).not.toHaveProperty('level')
  })
  it('msg → message (or the messageKey pino was configured with)', () => {
    expect(ecsFromPino({ msg: 'hi' })).toMatchObject({ message: 'hi' })
    expect(ecsFromPino({ text: 'hi' }, { messageKey: 'text', errorKey: 'err', labels: {} })).toMatchObject({ message: 'hi' })
    expect(ecsFromPino({ msg: 'hi' })).not.toHaveProperty('msg')
  })
  it('err → error.type / error.message / error.stack_trace, other error fields kept', () => {
    const doc = ecsFromPino({ err: { type: 'TypeError', message: 'nope', stack: 'TypeError: nope\n  at x', code: 'E_NOPE' } })
    expect(doc.error).toEqual({ type: 'TypeError', message: 'nope', stack_trace: 'TypeError: nope\n  at x', code: 'E_NOPE' })
    expect(doc).not.toHaveProperty('err')
  })
  it('pid → process.pid, hostname → host.hostname, plus ecs.version', () => {
    const doc = ecsFromPino(pinoLine)
    expect(doc).toEqual({
      '@timestamp': '2025-11-24T16:00:00.000Z',
      log: { level: 'info' },
      message: 'hello',
      process: { pid: 42 },
      host: { hostname: 'web-1' },
      reqId: 'r1',
      ecs: { version: ECS_VERSION },
    })
    expect(Object.keys(doc).slice(0, 3)).toEqual(['@timestamp', 'log', 'message'])
  })
  it('never overwrites what the user set; the source field then stays', () => {
    const doc = ecsFromPino({
      ...pinoLine,
      '@timestamp': 'mine',
      message: 'mine',
      host: { name: 'h', hostname: 'mine' },
      process: 'not an object',
      ecs: { version: '1.0' },
      log: { logger: 'app' },
      error: 'mine',
      err: { message: 'x' },
    })
    expect(doc).toMatchObject({
      '@timestamp': 'mine',
      time: 1764000000000,
      message: 'mine',
      msg: 'hello',
      host: { name: 'h', hostname: 'mine' },
      hostname: 'web-1',
      process: 'not an object',
      pid: 42,
      ecs: { version: '1.0' },
      log: { logger: 'app', level: 'info' },
      error: 'mine',
      err: { message: 'x' },
    })
    expect(ecsFromPino({ 'log.level': 'custom', level: 30 })).toMatchObject({ 'log.level': 'custom', level: 30 })
  })
  it('does not modify the objects it was given', () => {
    const host = { name: 'h' }
    const input = { hostname: 'web-1', host }
    ecsFromPino(input)
    expect(input).toEqual({ hostname: 'web-1', host: { name: 'h' } })
    expect(host).toEqual({ name: 'h' })
  })
})

describe('ecsFromWinston, field by field', () => {
  it('level (colours removed) → log.level, timestamp → @timestamp, message stays', () => {
    const info = { level: '\u001b[33mwarn\u001b[39m', [Symbol.for('level')]: 'warn', message: 'm', timestamp: '2025-11-24T16:00:00.000Z', user: 'ann' }
    expect(ecsFromWinston(info)).toEqual({ '@timestamp': '2025-11-24T16:00:00.000Z', log: { level: 'warn' }, message: 'm', user: 'ann', ecs: { version: ECS_VERSION } })
  })
  it('leaves a timestamp that is not ISO 8601 where it is', () => {
    expect(ecsFromWinston({ level: 'info', message: 'm', timestamp: '24/11/2025 16:00' })).toMatchObject({ timestamp: '24/11/2025 16:00' })
  })
  it('an Error logged directly, an Error in err and format.errors() stacks → error.*', () => {
    const direct = Object.assign(new RangeError('too far'), { level: 'error' })
    expect(ecsFromWinston(direct as never)).toMatchObject({
      log: { level: 'error' },
      message: 'too far',
      error: { type: 'RangeError', message: 'too far', stack_trace: expect.stringContaining('RangeError: too far') },
    })
    const meta = ecsFromWinston({ level: 'error', message: 'failed', err: new Error('inner', { cause: new Error('root') }) })
    expect(meta.error).toMatchObject({ type: 'Error', message: 'inner', cause: { type: 'Error', message: 'root' } })
    expect(meta).not.toHaveProperty('err')
    const formatted = ecsFromWinston({ level: 'error', message: 'boom', stack: 'Error: boom\n  at y' })
    expect(formatted).toMatchObject({ message: 'boom', error: { type: 'Error', message: 'boom', stack_trace: 'Error: boom\n  at y' } })
    expect(formatted).not.toHaveProperty('stack')
  })
})
