import { describe, expect, it } from 'vitest'
import { OptionError } from '../../src/errors.js'
import { wrapStdout } from '../../adapters/stdout.js'
import { LogshipTransport } from '../../adapters/winston.js'
import logshipPinoTransport, { pinoDestination } from '../../adapters/pino.js'

// The adapters' own options (tee, streams, ecs, level ...) used to get no "did you mean" for a
// misspelled key: the key went on to the shipper's check, which knows only the shipper's keys.

const output = { type: 'console' } as const

async function problemsOf(make: () => unknown): Promise<readonly string[]> {
  try {
    await make()
  } catch (err) {
    if (err instanceof OptionError) return err.problems
    throw err
  }
  throw new Error('expected an OptionError')
}

describe("adapters' own keys get the same hints as the shipper's", () => {
  it('logship/stdout', async () => {
    expect(await problemsOf(() => wrapStdout({ output, stream: ['stdout'] } as never))).toEqual(['(options): unknown key "stream"; did you mean "streams"?'])
    expect(await problemsOf(() => wrapStdout({ output, max_line_chars: 5 } as never))).toEqual([
      '(options): unknown key "max_line_chars"; did you mean "maxLineChars"? (keys are camelCase)',
    ])
  })

  it('logship/winston', async () => {
    expect(await problemsOf(() => new LogshipTransport({ output, handleExceptons: true } as never))).toEqual([
      '(options): unknown key "handleExceptons"; did you mean "handleExceptions"?',
    ])
  })

  it('logship/pino (transport and destination)', async () => {
    expect(await problemsOf(() => logshipPinoTransport({ output, ecss: true } as never))).toEqual(['(options): unknown key "ecss"; did you mean "ecs"?'])
    expect(await problemsOf(() => pinoDestination({ output, ECS: true } as never))).toEqual(['(options): unknown key "ECS"; did you mean "ecs"?'])
  })

  it("still hints the shipper's keys, and reports every problem at once", async () => {
    expect(await problemsOf(() => wrapStdout({ output, tea: false, closeTimeoutMS: 5 } as never))).toEqual([
      '(options): unknown key "tea"; did you mean "tee"?',
      '(options): unknown key "closeTimeoutMS"; did you mean "closeTimeoutMs"?',
    ])
  })

  it("pino's own keys are not taken for typos", async () => {
    const transport = await logshipPinoTransport({ output, $context: {}, pinoWillSendConfig: true } as never)
    transport.end()
    await new Promise((resolve) => transport.on('close', resolve))
  })
})
