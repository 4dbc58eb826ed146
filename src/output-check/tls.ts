import { Agent } from 'undici'
import { tlsConnectOptions, type TlsOptions } from '../outputs/tls.js'

/** An undici agent for one probe: the output's TLS options (files read), a connect timeout, no keep-alive. */
export function probeAgent(tls: Partial<TlsOptions> | undefined, timeoutMs: number): Agent {
  const connect = tls ? tlsConnectOptions(tls) : {}
  return new Agent({ connect: { ...connect, timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, pipelining: 0 })
}

/** How `test output` describes the TLS of a connection. */
export function tlsWords(tls: Partial<TlsOptions> | undefined): string {
  return tls?.rejectUnauthorized === false ? 'certificate NOT verified: tls.rejectUnauthorized is false' : 'certificate verified'
}
