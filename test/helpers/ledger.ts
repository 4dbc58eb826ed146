import { expect } from 'vitest'
import type { ShipperStats } from 'logship'

/** The ledger always adds up: received = acked + dropped + sampledOut + failed + queued + inFlight. */
export function expectLedgerBalanced(s: ShipperStats): void {
  expect(s.acked + s.dropped + s.sampledOut + s.failed + s.queuedEvents + s.inFlightEvents, JSON.stringify(s)).toBe(s.received)
}
