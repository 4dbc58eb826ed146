import { Agent } from 'undici'

export interface TlsOptions {
  ca?: string | undefined
  cert?: string | undefined
  key?: string | undefined
  rejectUnauthorized?: boolean | undefined
}

/** An undici agent for one probe: the output's TLS options, a connect timeout, no keep-alive. */
export function probeAgent(tls: TlsOptions | undefined, timeoutMs: number): Agent {
  const connect = Object.fromEntries(Object.entries(tls ?? {}).filter(([, v]) => v !== undefined))
  return new Agent({ connect: { ...connect, timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, pipelining: 0 })
}
