import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { onTestFinished } from 'vitest'
import { freePort } from './ports.js'
import { waitFor } from './wait.js'
import { binary } from './system-software.js'

/**
 * A real redis-server (the Debian package's binary) on 127.0.0.1 with its own directory and
 * config file, no system service. Redis cannot listen on port 0 and report the port, so a free
 * port is picked first (as for servers started later elsewhere) and kept across restarts.
 */
export interface RedisServerOptions {
  /** `appendonly yes` + `appendfsync always`: every acknowledged write is on disk (survives kill -9). */
  readonly durable?: boolean
  /** `maxmemory` with `maxmemory-policy noeviction`, e.g. `'2mb'`. */
  readonly maxmemory?: string
  /** `requirepass` for the default user. */
  readonly requirepass?: string
  /** ACL lines, e.g. `'shipper on >secret ~logs* +rpush +xadd +multi +exec'` (the `user` directive). */
  readonly users?: readonly string[]
  /** Serve TLS only, with these PEM files (the plain port is turned off). */
  readonly tls?: { readonly cert: string; readonly key: string; readonly ca: string }
}

export interface RedisServer {
  readonly port: number
  readonly dir: string
  /** `redis://127.0.0.1:<port>` (or `rediss://` with TLS). */
  readonly url: string
  /** A client with admin rights for the test's own reads and writes (closed after the test). */
  admin(): Redis
  /** kill -9, then start again with the same config, port and data directory. */
  crashAndRestart(): Promise<void>
  kill9(): Promise<void>
  /** SIGSTOP / SIGCONT: a server that hangs without closing its connections. */
  pause(): void
  resume(): void
  start(): Promise<void>
  stop(): Promise<void>
  log(): string
}

export async function startRedisServer(dir: string, options: RedisServerOptions = {}): Promise<RedisServer> {
  mkdirSync(dir, { recursive: true })
  const port = await freePort()
  const lines = ['bind 127.0.0.1', `port ${options.tls ? 0 : port}`, `dir ${dir}`, `logfile ${join(dir, 'redis.log')}`, "save ''", 'daemonize no', 'protected-mode yes']
  if (options.durable) lines.push('appendonly yes', 'appendfsync always')
  if (options.maxmemory) lines.push(`maxmemory ${options.maxmemory}`, 'maxmemory-policy noeviction')
  if (options.requirepass) lines.push(`requirepass ${options.requirepass}`)
  for (const user of options.users ?? []) lines.push(`user ${user}`)
  if (options.tls) {
    const files = { cert: join(dir, 'tls.crt'), key: join(dir, 'tls.key'), ca: join(dir, 'tls-ca.crt') }
    writeFileSync(files.cert, options.tls.cert)
    writeFileSync(files.key, options.tls.key, { mode: 0o600 })
    writeFileSync(files.ca, options.tls.ca)
    lines.push(`tls-port ${port}`, `tls-cert-file ${files.cert}`, `tls-key-file ${files.key}`, `tls-ca-cert-file ${files.ca}`, 'tls-auth-clients no')
  }
  const config = join(dir, 'redis.conf')
  writeFileSync(config, `${lines.join('\n')}\n`)

  let child: ChildProcess | undefined
  let exited: Promise<void> = Promise.resolve()
  const clients: Redis[] = []
  const adminAuth = options.requirepass ? { password: options.requirepass } : {}
  const tlsClient = options.tls ? { tls: { ca: options.tls.ca, servername: 'localhost' } } : {}

  async function start(): Promise<void> {
    const proc = spawn(binary('redis-server'), [config], { stdio: 'ignore' })
    child = proc
    exited = new Promise((resolve) => proc.once('exit', () => resolve()))
    await waitFor(
      async () => {
        if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode}: ${logText()}`)
        const probe = new Redis({
          port,
          host: '127.0.0.1',
          lazyConnect: true,
          retryStrategy: () => null,
          enableOfflineQueue: false,
          maxRetriesPerRequest: 0,
          ...adminAuth,
          ...tlsClient,
        })
        probe.on('error', () => {})
        try {
          await probe.connect()
          // a server that is still loading its append-only file answers LOADING
          return (await probe.ping()) === 'PONG'
        } catch {
          return false
        } finally {
          probe.disconnect()
        }
      },
      'redis-server to accept connections',
      20_000,
      20,
    )
  }

  async function kill9(): Promise<void> {
    child?.kill('SIGKILL')
    await exited
  }

  function logText(): string {
    const file = join(dir, 'redis.log')
    return existsSync(file) ? readFileSync(file, 'utf8').slice(-2000) : '(no log)'
  }

  await start()
  const server: RedisServer = {
    port,
    dir,
    url: `${options.tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`,
    admin() {
      const client = new Redis({ port, host: '127.0.0.1', ...adminAuth, ...tlsClient })
      client.on('error', () => {})
      clients.push(client)
      return client
    },
    async crashAndRestart() {
      await kill9()
      await start()
    },
    kill9,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    start,
    async stop() {
      for (const c of clients.splice(0)) c.disconnect()
      child?.kill('SIGCONT')
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
    log: logText,
  }
  onTestFinished(() => server.stop())
  return server
}
