import type { LogshipError } from '../errors.js'

/** The events a Shipper emits (see docs/api.md). */
export interface DropEvent {
  readonly reason: string
  readonly count: number
}

export interface DeadLetterEvent {
  readonly reason: string
  readonly count: number
  /** The first (up to 100) events as their JSON texts. */
  readonly events: readonly string[]
}

export interface ShipperEvents {
  error: [error: LogshipError]
  drop: [drop: DropEvent]
  'dead-letter': [deadLetter: DeadLetterEvent]
  /** Something insecure or unusual that does not stop shipping (TLS verification off, stats open to the network). */
  warning: [message: string]
}
