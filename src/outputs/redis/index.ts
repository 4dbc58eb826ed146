import type { Redis as RedisClient } from 'ioredis'
import type { Batch, HostHealth, Output, SendResult } from '../output.js'
import { outputError, describeError } from '../../errors.js'
import { tlsConnectOptions, type TlsConnectOptions } from '../tls.js'
import { redisOutputSchema, type RedisOutputOptions } from './options.js'
import type { RedisAddress } from './address.js'
import { redisAddress } from './output-address.js'
import { CommandBuilder, type BatchCommand } from './commands.js'
import { RedisLink, LinkError } from './link.js'
import { explainConnection, explainReply, replyCode, type Problem } from './problems.js'

export { redisOutputSchema, type RedisOutputOptions }
export { redisAddress }

/** TLS options for the connection (files read once), or undefined without TLS. */
export function redisTls(options: RedisOutputOptions, address: RedisAddress): TlsConnectOptions | undefined {
  return address.tls ? tlsConnectOptions(options.tls ?? {}) : undefined
}

/**
 * `output: { type: 'redis' }`: RPUSH to a list (Logstash's redis input, `data_type => list`)
 * or XADD to a stream, one round trip per batch. Several RPUSHes (a date key spanning days)
 * go in one MULTI/EXEC transaction, so Redis stores all of it or none of it (a WRONGTYPE on
 * one key aside, which the replies name per command); a stream batch's XADDs go in one
 * pipeline, each acknowledged by its own reply. The acknowledgement is Redis's reply. See
 * docs/outputs/redis.md.
 */
export function createRedisOutput(options: RedisOutputOptions): Output {
  const address = redisAddress(options)
  const where = address.label
  const name = `redis(${where})`
  const secret = address.password
  // messages are built without the password and Redis never echoes one; this is a second line
  // of defence (for passwords long enough not to occur in ordinary words)
  const scrub = (text: string): string => (secret && secret.length >= 8 ? text.split(secret).join('***') : text)
  let setupError: Error | undefined
  let tls: TlsConnectOptions | undefined
  try {
    tls = redisTls(options, address)
  } catch (err) {
    setupError = outputError(name, describeError(err))
  }
  const link = new RedisLink({ address, tls, timeoutMs: options.timeoutMs })
  const builder = new CommandBuilder(options)
  const health = { up: true, failures: 0, lastError: undefined as string | undefined }

  const context = (key: string, actualType?: string) => ({ where, key, keyTemplate: options.key, dataType: options.dataType, username: address.username, actualType })

  function failed(problem: Problem): SendResult {
    health.up = false
    health.failures++
    health.lastError = scrub(problem.message)
    const error = outputError(name, health.lastError)
    return problem.fatal ? { status: 'fatal', error } : { status: 'retryable', error }
  }

  function lostConnection(err: unknown): Problem {
    const socketError = link.lastError
    return {
      fatal: false,
      message: `the connection to ${where} was lost before it answered (${describeError(socketError ?? err)}); the batch may or may not be stored: logship sends it again (at-least-once)`,
    }
  }

  /** The type the key holds, for a WRONGTYPE message (undefined when it cannot be read). */
  async function typeOf(client: RedisClient, key: string): Promise<string | undefined> {
    try {
      return await client.type(key)
    } catch {
      return undefined
    }
  }

  async function judge(client: RedisClient, commands: readonly BatchCommand[], replies: readonly [Error | null, unknown][]): Promise<SendResult> {
    const retry: number[] = []
    let delivered = 0
    let worst: Problem | undefined
    for (const [i, command] of commands.entries()) {
      const err = replies[i]?.[0]
      if (!err) {
        delivered += command.indexes.length
        continue
      }
      // a ReplyError is Redis's answer; anything else is ioredis saying the connection failed before one came
      const problem = isReply(err)
        ? explainReply(err.message, context(command.key, replyCode(err.message) === 'WRONGTYPE' ? await typeOf(client, command.key) : undefined))
        : lostConnection(err)
      if (!worst || (problem.fatal && !worst.fatal)) worst = problem
      retry.push(...command.indexes)
    }
    if (!worst) {
      health.up = true
      health.failures = 0
      health.lastError = undefined
      return { status: 'delivered' }
    }
    if (delivered === 0) return failed(worst)
    // some keys took their records (a WRONGTYPE or NOPERM on another key): only the rest go again
    health.lastError = scrub(worst.message)
    return { status: 'partial', retry: retry.sort((a, b) => a - b), rejected: [] }
  }

  async function send(batch: Batch, signal: AbortSignal): Promise<SendResult> {
    let client: RedisClient
    try {
      client = await link.client()
    } catch (err) {
      return failed(err instanceof LinkError ? err.problem : explainConnection(err, where, options.timeoutMs))
    }
    const commands = builder.build(batch.records)
    const args = commands.map((c) => c.args as unknown[])
    // ioredis encodes the commands into buffers of its own right here, so nothing keeps
    // batch.records after this. One command (a list batch to one key) goes alone: it is atomic
    // by itself, and ioredis's pipeline would copy its bytes once more. A stream batch (one XADD
    // per event) is a plain pipeline: each XADD's own reply says whether that event is stored,
    // so a refusal or a lost connection midway resends only the events without a reply (see
    // docs/outputs/redis.md); a transaction would add a QUEUED reply per event and store nothing
    // of the batch on an OOM. Several RPUSHes (date keys) stay one MULTI/EXEC.
    const replies = commands.length === 1 ? single(client, args[0]!) : options.dataType === 'stream' ? client.pipeline(args).exec() : client.multi(args).exec()
    const outcome = await settle(replies, signal, options.timeoutMs)
    if (outcome.kind === 'aborted') return { status: 'retryable', error: outputError(name, 'the send was cancelled (shutting down); the batch may or may not be stored') }
    if (outcome.kind === 'timeout') {
      link.drop()
      return failed({
        fatal: false,
        message: `${where} did not answer within ${options.timeoutMs} ms; the connection is dropped and the batch sent again (it may be stored twice)`,
      })
    }
    if (outcome.kind === 'rejected') {
      const previous = (outcome.error as { previousErrors?: unknown }).previousErrors
      // EXECABORT: Redis refused a command while queuing it (OOM, NOPERM): the transaction stored nothing
      if (Array.isArray(previous) && previous[0] instanceof Error && isReply(previous[0])) {
        const key = commands[0]!.key
        return failed(explainReply(previous[0].message, context(key)))
      }
      return failed(lostConnection(outcome.error))
    }
    if (outcome.value === null) return failed({ fatal: false, message: `${where} discarded the transaction; logship retries` })
    return judge(client, commands, outcome.value)
  }

  return {
    name,
    maxInFlight: options.maxInFlight,
    async send(batch: Batch, signal: AbortSignal): Promise<SendResult> {
      if (setupError) return { status: 'fatal', error: setupError }
      try {
        return await send(batch, signal)
      } catch (err) {
        return failed({ fatal: false, message: `sending failed: ${describeError(err)}` })
      }
    },
    health(): readonly HostHealth[] {
      return [{ host: where, up: health.up, failures: health.failures, ...(health.up || health.lastError === undefined ? {} : { lastError: health.lastError }) }]
    },
    async close() {
      await link.close()
    },
  }
}

/** One command, its outcome shaped like a pipeline's: a ReplyError is an answer, anything else rejects. */
function single(client: RedisClient, args: readonly unknown[]): Promise<[Error | null, unknown][]> {
  const [name, ...rest] = args as [string, ...(string | Buffer)[]]
  return client.call(name, ...rest).then(
    (reply): [Error | null, unknown][] => [[null, reply]],
    (err: unknown): [Error | null, unknown][] => {
      if (err instanceof Error && isReply(err)) return [[err, undefined]]
      throw err
    },
  )
}

function isReply(err: Error): boolean {
  return err.name === 'ReplyError'
}

type Settled<T> = { kind: 'value'; value: T } | { kind: 'rejected'; error: unknown } | { kind: 'aborted' } | { kind: 'timeout' }

/** The promise's outcome, or `aborted` / `timeout`, whichever comes first. */
function settle<T>(promise: Promise<T>, signal: AbortSignal, timeoutMs: number): Promise<Settled<T>> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs)
    const onAbort = () => finish({ kind: 'aborted' })
    function finish(outcome: Settled<T>): void {
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
      resolve(outcome)
    }
    if (signal.aborted) return finish({ kind: 'aborted' })
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => finish({ kind: 'value', value }),
      (error: unknown) => finish({ kind: 'rejected', error }),
    )
  })
}
