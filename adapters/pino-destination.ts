import { z } from '../src/util/zod.js'
import { Shipper } from '../src/shipper/shipper.js'
import type { ShipperOptionsInput } from '../src/options/schema.js'
import { splitOptions } from './options.js'
import { ecsFromPino } from './ecs.js'
import { closeAndReport } from './report.js'
import { lazySchema } from '../src/util/lazy-schema.js'

export type PinoDestinationOptions = ShipperOptionsInput & {
  /** Map pino's fields to ECS names. Costs a JSON.parse + stringify per line on the app thread; the transport does it off-thread. Default false. */
  ecs?: boolean
}

const ownSchema = lazySchema(() => z.strictObject({ ecs: z.boolean().default(false) }))

/**
 * A destination pino writes to directly, on the app thread, straight into logship's
 * bounded ring: memory stays bounded when the sink is slow, and `whenFull` decides what
 * happens then (`block` really holds `logger.info()`, `drop-*` and `sample` count what they
 * drop). pino's transports, by contrast, buffer without limit on the app thread when their
 * worker falls behind (see docs/adapters/pino.md).
 */
export class LogshipPinoDestination {
  /** pino recognises a destination passed as its only argument by this flag. */
  readonly writable = true
  readonly shipper: Shipper
  readonly #ecs: boolean

  constructor(options: PinoDestinationOptions) {
    const { own, shipper } = splitOptions(options, ownSchema)
    this.shipper = new Shipper(shipper)
    this.#ecs = own.ecs
  }

  /** pino calls this with one JSON line (with its newline) per log call. Never throws. */
  write(chunk: string): boolean {
    const last = chunk.length - 1
    if (!this.#ecs && last > 0 && chunk.charCodeAt(last) === 0x0a && chunk.indexOf('\n') === last) {
      this.shipper.write(chunk.slice(0, last))
      return true
    }
    for (const line of chunk.split('\n')) if (line.length > 0) this.shipper.write(this.#ecs ? toEcs(line) : line)
    return true
  }

  /** `logger.flush(cb)`: calls back when everything logged so far is acknowledged (or dropped). */
  flush(cb?: (err?: Error) => void): void {
    this.shipper.flush().then(
      () => cb?.(),
      (err: unknown) => cb?.(err instanceof Error ? err : new Error(String(err))),
    )
  }

  /**
   * Blocks this thread until what was logged is acknowledged, at most closeTimeoutMs, while
   * the shipping worker keeps sending (for exit paths that cannot wait asynchronously).
   * Returns how many events were still unacknowledged (at exit, the shipper's exit hook
   * counts them as dropped.shutdown and says so once).
   */
  flushSync(): number {
    return this.shipper.flushSync(this.shipper.options.closeTimeoutMs)
  }

  /** Flushes (bounded by closeTimeoutMs) and stops shipping; later writes are counted as dropped. */
  end(cb?: () => void): Promise<void> {
    return closeAndReport(this.shipper, 'logship').then(() => cb?.())
  }
}

/** `pino(pinoDestination({ output: {...} }))` — see LogshipPinoDestination. */
export function pinoDestination(options: PinoDestinationOptions): LogshipPinoDestination {
  return new LogshipPinoDestination(options)
}

function toEcs(line: string): string | Record<string, unknown> {
  try {
    const obj: unknown = JSON.parse(line)
    if (typeof obj === 'object' && obj !== null && !Array.isArray(obj)) return ecsFromPino(obj as Record<string, unknown>)
  } catch {
    // not JSON: shipped as a message
  }
  return line
}
