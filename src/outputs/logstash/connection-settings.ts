import type { ConnectionOptions } from 'node:tls'
import type { HostAddress } from './options.js'
import type { HostTally } from './host-tally.js'

/** What one Lumberjack connection is set up with, and the states it goes through. */
export interface ConnectionSettings {
  readonly address: HostAddress
  /** Node TLS options when the beats input speaks TLS. */
  readonly tls: ConnectionOptions | undefined
  readonly timeoutMs: number
  readonly ttlMs: number
  /** Windows on the wire before the oldest is acknowledged (at least 1). */
  readonly pipelining: number
  readonly bulkMaxSize: number
  readonly backoff: { readonly initialDelayMs: number; readonly maxDelayMs: number }
  /** Shared by the connections to the same host. */
  readonly tally: HostTally
  /** Called whenever the connection may have become usable or unusable (the balancer re-checks). */
  readonly onChange: () => void
  /** Called when the connection goes down (failed without delivering anything) or connects again. */
  readonly onHealthChange?: () => void
}

export type ConnectionState =
  /** Not connected; connects when asked. */
  | 'idle'
  | 'connecting'
  | 'ready'
  /** Past its TTL: takes no new windows, reconnects once its windows are acknowledged. */
  | 'draining'
  /** Failed; may reconnect from `retryAt` on. */
  | 'backoff'
  | 'closed'
