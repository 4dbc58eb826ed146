import type TransportStreamType from 'winston-transport'
import { requirePeer } from './require-peer.js'
import { z } from '../src/util/zod.js'
import { Shipper } from '../src/shipper/shipper.js'
import type { ShipperOptionsInput } from '../src/options/schema.js'
import { splitOptions } from './options.js'
import { ecsFromWinston } from './ecs.js'
import { closeAndReport, reportErrors } from './report.js'
import { lazySchema } from '../src/util/lazy-schema.js'

const TransportStream = requirePeer<typeof TransportStreamType>('winston-transport', 'logship/winston', 'winston winston-transport')
// the namespace's types (TransportStream.TransportStreamOptions) come with the type import
declare namespace TransportStream {
  type TransportStreamOptions = TransportStreamType.TransportStreamOptions
}

export { ecsFromWinston, ECS_VERSION } from './ecs.js'

/** winston's own transport options plus the shipper's options and `ecs`. */
export type LogshipTransportOptions = ShipperOptionsInput &
  Pick<TransportStream.TransportStreamOptions, 'format' | 'level' | 'silent' | 'handleExceptions' | 'handleRejections'> & {
    /** Map winston's fields to ECS names (see docs/adapters/winston.md). Default false. */
    ecs?: boolean
  }

const WINSTON_KEYS = ['format', 'level', 'silent', 'handleExceptions', 'handleRejections'] as const
const ownSchema = lazySchema(() =>
  z.strictObject({
    ecs: z.boolean().default(false),
    // winston checks its own options; they are only taken out of the shipper's way here
    format: z.unknown().optional(),
    level: z.string().optional(),
    silent: z.boolean().optional(),
    handleExceptions: z.boolean().optional(),
    handleRejections: z.boolean().optional(),
  }),
)

const MESSAGE = Symbol.for('message')

type Info = Record<string | symbol, unknown>

/**
 * A winston transport that ships through logship: `new LogshipTransport({ output: {...} })`.
 * `logger.end()` followed by the logger's 'finish' means every event was acknowledged by the
 * output (or, past closeTimeoutMs, dropped and reported on stderr).
 */
export class LogshipTransport extends TransportStream {
  readonly shipper: Shipper
  readonly #ecs: boolean

  constructor(options: LogshipTransportOptions) {
    const { own, shipper } = splitOptions(options, ownSchema)
    const winstonOptions: TransportStream.TransportStreamOptions = {}
    for (const key of WINSTON_KEYS) if (own[key] !== undefined) Object.assign(winstonOptions, { [key]: own[key] })
    super(winstonOptions)
    this.#ecs = own.ecs
    this.shipper = new Shipper(shipper)
    reportErrors(this.shipper, 'logship/winston')
    // the logger re-emits 'warn' (an 'error' without a listener would crash the app)
    this.shipper.on('error', (error) => this.emit('warn', error))
  }

  /** Called by winston once per log call, after the transport's format. Never throws. */
  override log(info: Info, callback: () => void): void {
    this.shipper.write(this.#event(info))
    setImmediate(() => this.emit('logged', info))
    callback()
  }

  /**
   * The text a JSON format already produced is shipped as is; otherwise `info` is
   * serialized by logship (circular references, BigInt and Errors included).
   */
  #event(info: Info): unknown {
    if (this.#ecs) return ecsFromWinston(info as Record<string, unknown>)
    const formatted = info[MESSAGE]
    if (typeof formatted === 'string' && looksLikeJsonObject(formatted) && !carriesErrors(info)) return formatted
    return info
  }

  /** winston calls this when the transport is removed or the logger closed: flush and stop. */
  override close(): Promise<void> {
    return closeAndReport(this.shipper, 'logship/winston').then(() => undefined)
  }

  /** Runs on `end()` before 'finish': 'finish' then means acknowledged, not just handed over. */
  override _final(callback: (error?: Error | null) => void): void {
    this.close().then(
      () => callback(),
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
    )
  }
}

function looksLikeJsonObject(text: string): boolean {
  return text.charCodeAt(0) === 0x7b && text.charCodeAt(1) === 0x22 && text.charCodeAt(text.length - 1) === 0x7d
}

/**
 * winston's json format writes an Error as `{}` (and `logger.error(err)` as just its level):
 * when Errors are involved, logship serializes `info` itself, keeping message, stack and cause.
 */
function carriesErrors(info: Info): boolean {
  if (info instanceof Error) return true
  for (const key in info) if (info[key] instanceof Error) return true
  return false
}
