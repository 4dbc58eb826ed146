import { Pool } from 'undici'
import { tlsConnectOptions, type TlsOptions } from './tls.js'

/** The keep-alive connection pool of a single-endpoint HTTP output: `connections` sockets, replies bounded by `timeoutMs`. */
export function keepAlivePool(origin: string, options: { connections: number; timeoutMs: number; tls?: Partial<TlsOptions> | undefined }): Pool {
  return new Pool(origin, {
    connections: options.connections,
    keepAliveTimeout: 30_000,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connect: options.tls ? tlsConnectOptions(options.tls) : {},
  })
}
