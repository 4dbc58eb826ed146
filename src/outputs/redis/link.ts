import { isIP } from 'node:net'
import type { Redis as RedisClient } from 'ioredis'
import type { TlsConnectOptions } from '../tls.js'
import type { RedisAddress } from './address.js'
import { explainConnection, type Problem } from './problems.js'
import { describeError } from '../../errors.js'

export interface LinkOptions {
  readonly address: RedisAddress
  /** TLS options (files read) when connecting with TLS. */
  readonly tls: TlsConnectOptions | undefined
  readonly timeoutMs: number
}

/** A connection attempt that failed, with plain words about why. */
export class LinkError extends Error {
  readonly problem: Problem
  constructor(problem: Problem) {
    super(problem.message)
    this.problem = problem
  }
}

/**
 * The one connection of a redis output. ioredis is told never to reconnect, queue or resend
 * anything by itself (`retryStrategy: () => null`, no offline queue, no automatic resends): a
 * command that meets a closed connection fails at once and the output reports `retryable`,
 * so the engine's backoff (retry.initialDelayMs doubling up to retry.maxDelayMs, with jitter)
 * paces the reconnects, and a batch is only ever sent again by the engine, which knows it.
 */
export class RedisLink {
  readonly #options: LinkOptions
  #client: RedisClient | undefined
  #connecting: Promise<RedisClient> | undefined
  #closed = false
  #lastError: unknown
  #passwordUnneeded = false

  /** The server refused AUTH because it has no password: the configured one is not used. */
  get passwordUnneeded(): boolean {
    return this.#passwordUnneeded
  }

  /** The last socket error of the open connection (ECONNRESET, …), for messages about a lost connection. */
  get lastError(): unknown {
    return this.#lastError
  }

  constructor(options: LinkOptions) {
    this.#options = options
  }

  /** A ready connection: the open one, or a new one (one attempt, bounded by timeoutMs). */
  client(): Promise<RedisClient> {
    if (this.#closed) return Promise.reject(new LinkError({ fatal: false, message: 'the output is closed' }))
    const open = this.#client
    if (open && open.status === 'ready') return Promise.resolve(open)
    this.#connecting ??= this.#connect().finally(() => (this.#connecting = undefined))
    return this.#connecting
  }

  /** Drops the connection (after a batch got no reply in time): the next batch connects anew. */
  drop(): void {
    const client = this.#client
    this.#client = undefined
    client?.disconnect()
  }

  async #connect(): Promise<RedisClient> {
    this.drop()
    const { address, tls, timeoutMs } = this.#options
    // loaded on first use, so that logship without a redis output never loads ioredis
    const { Redis } = await import('ioredis')
    let problem: unknown
    let connected = false
    const client = new Redis({
      host: address.host,
      port: address.port,
      ...(tls ? { tls: { ...tls, ...(tls.servername === undefined && isIP(address.host) === 0 ? { servername: address.host } : {}) } } : {}),
      // RESP2 works with every Redis (and Valkey, KeyDB, proxies). AUTH and SELECT are sent below, by us:
      // ioredis would print warnings to the console and carry on when they fail
      protocol: 2,
      lazyConnect: true,
      connectTimeout: timeoutMs,
      retryStrategy: () => null,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      // INFO needs a permission a shipping user may lack; a server still loading answers LOADING, which retries
      enableReadyCheck: false,
      disableClientInfo: true,
    })
    // ioredis reports handshake failures (AUTH, SELECT) as 'error' events, and may still connect after SELECT fails
    client.on('error', (err: unknown) => {
      if (connected) this.#lastError = err
      else problem ??= err
    })
    try {
      await client.connect()
    } catch (err) {
      client.disconnect()
      throw new LinkError(explainConnection(problem ?? err, address.label, timeoutMs, address.username))
    }
    if (problem !== undefined) {
      client.disconnect()
      throw new LinkError(explainConnection(problem, address.label, timeoutMs, address.username))
    }
    try {
      await this.#handshake(client)
    } catch (err) {
      client.disconnect()
      throw err
    }
    if (this.#closed) {
      client.disconnect()
      throw new LinkError({ fatal: false, message: 'the output is closed' })
    }
    connected = true
    this.#lastError = undefined
    client.on('close', () => {
      if (this.#client === client) this.#client = undefined
    })
    this.#client = client
    return client
  }

  /** AUTH (when a password is configured) and SELECT (when the database is not 0); failures are LinkErrors. */
  async #handshake(client: RedisClient): Promise<void> {
    const { address, timeoutMs } = this.#options
    const explain = (err: unknown) => new LinkError(explainConnection(err, address.label, timeoutMs, address.username))
    if (address.password !== undefined) {
      try {
        await (address.username !== undefined ? client.auth(address.username, address.password) : client.auth(address.password))
        this.#passwordUnneeded = false
      } catch (err) {
        // a server without passwords refuses AUTH but takes commands: the password is simply not needed
        if (!/without any password configured|no password is set/i.test(describeError(err))) throw explain(err)
        this.#passwordUnneeded = true
      }
    }
    if (address.db !== 0) {
      try {
        await client.select(address.db)
      } catch (err) {
        throw new LinkError({
          fatal: true,
          message: `${address.label}: cannot select database ${address.db} (${describeError(err)}); use a database number below the server's \`databases\` setting (16 by default)`,
        })
      }
    }
  }

  /** Says QUIT (waiting a second at most), then closes. */
  async close(): Promise<void> {
    this.#closed = true
    await this.#connecting?.catch(() => undefined)
    const client = this.#client
    this.#client = undefined
    if (!client) return
    let timer: NodeJS.Timeout | undefined
    // QUIT is a courtesy (the engine has settled every batch by now): a hung server must not hold up the shutdown
    await Promise.race([client.quit().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, Math.min(1000, this.#options.timeoutMs))))])
    clearTimeout(timer)
    client.disconnect()
  }
}
