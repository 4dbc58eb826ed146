import { z } from '../../util/zod.js'
import { isIP } from 'node:net'
import { tlsSchema } from '../tls.js'
import { lazySchema } from '../../util/lazy-schema.js'

/** Logstash's beats input listens here unless told otherwise. */
const DEFAULT_PORT = 5044

export interface HostAddress {
  readonly host: string
  readonly port: number
}

/** `host:port`, `host` (port 5044), `[ipv6]:port` or `[ipv6]`. */
export function parseHost(text: string): HostAddress | undefined {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text)
  const plain = /^([^:[\]\s]+)(?::(\d+))?$/.exec(text)
  const match = bracketed ?? plain
  if (!match) return undefined
  const host = match[1]!
  if (bracketed && isIP(host) !== 6) return undefined
  const port = match[2] === undefined ? DEFAULT_PORT : Number(match[2])
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined
  return { host, port }
}

const hostSchema = lazySchema(() =>
  z.string().refine((s) => parseHost(s) !== undefined, { error: 'expected "host:port" (port 1-65535; the port defaults to 5044), e.g. "logstash.internal:5044"' }),
)

const ms = (what: string) => z.number().int(`expected ${what} in whole milliseconds`).min(0, `expected ${what} of 0 ms or more`)

/** The one TLS option shape of every output (PEM text or file paths; see src/outputs/tls.ts). */
const logstashTlsSchema = tlsSchema

export const logstashOutputSchema = lazySchema(() =>
  z.strictObject({
    type: z.literal('logstash'),
    /** Logstash beats inputs as `host:port` (port defaults to 5044). */
    hosts: z.array(hostSchema).min(1, 'expected at least one host, e.g. ["127.0.0.1:5044"]'),
    /**
     * true (default): every batch goes to the connected host with the fewest unacknowledged
     * events, so a slow node gets less traffic. false: one host at a time, the next one takes
     * over when it fails.
     */
    loadBalance: z.boolean().default(true),
    /** Connections per host. Default 1. */
    workers: z.number().int('expected a whole number').min(1, 'expected 1 or more').max(32, 'expected at most 32').default(1),
    /** Largest window (events per acknowledged unit). Default 2048; the window starts at 10 and grows. */
    bulkMaxSize: z.number().int('expected a whole number').min(1, 'expected 1 or more').max(10_000, 'expected at most 10000 (servers refuse larger windows)').default(2048),
    /** zlib level 0-9 for `2C` frames; 0 sends plain `2J` frames. Default 3. */
    compressionLevel: z.number().int('expected a whole number from 0 to 9').min(0, 'expected 0 to 9').max(9, 'expected 0 to 9').default(3),
    /** Windows written on a connection before the oldest is acknowledged. 0 or 1: one at a time. Default 2. */
    pipelining: z.number().int('expected a whole number').min(0, 'expected 0 or more').max(16, 'expected at most 16').default(2),
    /** Longest wait for any ACK (a keep-alive counts) while windows are in flight; also the connect timeout. Default 30000. */
    timeoutMs: ms('timeoutMs').min(1, 'expected 1 ms or more').default(30_000),
    /** Reopen each connection after this long (once its windows are acknowledged), resolving the host again. 0 (default): never. */
    ttlMs: ms('ttlMs').default(0),
    /** Reconnect delays after a failed connection: doubling from initialDelayMs up to maxDelayMs, with jitter. */
    backoff: z
      .strictObject({
        initialDelayMs: ms('initialDelayMs').default(1000),
        maxDelayMs: ms('maxDelayMs').default(60_000),
      })
      .prefault({})
      .refine((b) => b.maxDelayMs >= b.initialDelayMs, { message: 'expected maxDelayMs >= initialDelayMs', path: ['maxDelayMs'] }),
    /** Present (even as `{}`) to connect with TLS. */
    tls: logstashTlsSchema.optional(),
  }),
)

export type LogstashOutputOptions = z.output<typeof logstashOutputSchema>
