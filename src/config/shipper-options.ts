import type { ShipperOptionsInput } from '../options/schema.js'
import type { Config } from './schema.js'

/**
 * The library options a tail-mode config ships with: the one place config keys become shipper
 * options. `fields`, `processors` and `http` are not among them: tail mode applies the first two
 * while it builds each document, and serves the stats itself. The caller adds how the shipper
 * is hosted (thread, exit handling, close timeout).
 */
export function shipperOptionsFor(config: Config): ShipperOptionsInput {
  return {
    output: config.output,
    queue: config.queue,
    batch: config.batch,
    retry: config.retry,
    ...(config.deadLetter ? { deadLetter: config.deadLetter } : {}),
    strictPerms: config.strictPerms,
  }
}
