import type buildType from 'pino-abstract-transport'
import { requirePeer } from './require-peer.js'
import { z } from '../src/util/zod.js'
import type { Transform } from 'node:stream'
import { Shipper } from '../src/shipper/shipper.js'
import type { ShipperOptionsInput } from '../src/options/schema.js'
import { splitOptions } from './options.js'
import { ecsFromPino, DEFAULT_PINO_KEYS, type PinoKeys } from './ecs.js'
import { closeAndReport, reportErrors } from './report.js'
import { toRecordText } from '../src/record/to-record.js'
import { lazySchema } from '../src/util/lazy-schema.js'

const build = requirePeer<typeof buildType>('pino-abstract-transport', 'logship/pino', 'pino pino-abstract-transport')

/**
 * Options of the `logship/pino` transport target: the shipper's options (plain data: they
 * cross into pino's worker thread) plus `ecs`. pino's own keys (`$context`,
 * `pinoWillSendConfig`) are accepted and ignored.
 */
export type PinoTransportOptions = ShipperOptionsInput & {
  /** Map pino's fields to ECS names (see docs/adapters/pino.md). Default false: lines are shipped as pino wrote them. */
  ecs?: boolean
}

const ownSchema = lazySchema(() => z.strictObject({ ecs: z.boolean().default(false) }))

/**
 * pino waits about 10 s for a transport to close at exit (thread-stream's end()); the
 * transport caps its closeTimeoutMs below that so it can still report what was left.
 */
export const PINO_CLOSE_BUDGET_MS = 8000

/**
 * The transport target: `pino.transport({ target: 'logship/pino', options })`. pino loads
 * it in its own worker thread and feeds it the lines the app logged. By default the engine
 * runs right here (`thread: 'main'`, main of pino's worker): the app thread is already free
 * of the work, and a second worker would only add a thread and another copy of every line.
 */
export default async function logshipPinoTransport(options: PinoTransportOptions): Promise<Transform> {
  const { own, shipper: resolved } = splitOptions(options, ownSchema, { thread: 'main', handleExit: false })
  const shipper = new Shipper({ ...resolved, closeTimeoutMs: Math.min(resolved.closeTimeoutMs, PINO_CLOSE_BUDGET_MS) })
  reportErrors(shipper, 'logship/pino')
  // With the engine on this thread `block` cannot hold the thread (the engine needs it to
  // make room): the transport waits asynchronously instead, which pauses pino's stream.
  const waitForRoom = shipper.options.thread === 'main' && shipper.options.queue.whenFull === 'block'
  const wantsPinoConfig = own.ecs && (options as { pinoWillSendConfig?: unknown }).pinoWillSendConfig === true
  let keys: PinoKeys = DEFAULT_PINO_KEYS
  let waiting: Promise<void> | undefined
  let input: Transform | undefined

  const consume = (source: Transform & { levels?: { labels?: Record<string, string> }; messageKey?: string; errorKey?: string }): void => {
    input = source
    if (wantsPinoConfig) keys = { messageKey: source.messageKey ?? 'msg', errorKey: source.errorKey ?? 'err', labels: source.levels?.labels ?? DEFAULT_PINO_KEYS.labels }
    source.on('data', (line: string) => {
      if (line.length === 0) return
      const record = own.ecs ? toEcsLine(line, keys) : line
      if (!waitForRoom) {
        shipper.write(record)
        return
      }
      // the same check write() makes: a line that is not one JSON object goes as a message.
      // offerText encodes it straight into the queue (no Buffer per line, no second copy).
      const text = toRecordText(record) ?? '{}'
      if (shipper.offerText(text) !== 'full') return
      source.pause()
      waiting = offerWhenRoom(shipper, text).finally(() => {
        waiting = undefined
        source.resume()
      })
    })
  }

  const stream = await build(consume, {
    parse: 'lines',
    // the lines are shipped as they are: no JSON.parse per line just to check them
    parseLine: (line: string) => line,
    metadata: false,
    ...(wantsPinoConfig ? { expectPinoConfig: true as const } : {}),
    close: async () => {
      await waiting
      await closeAndReport(shipper, 'logship/pino')
    },
  })
  // logger.flush(cb) reaches here through thread-stream: call back once what pino handed
  // over so far is acknowledged by the output.
  Object.assign(stream, {
    flush(cb: (err?: Error) => void): void {
      linesHandedOver(
        () => waiting,
        () => input,
      )
        .then(() => shipper.flush())
        .then(() => cb(), cb)
    },
  })
  return stream
}

/**
 * Resolves once every line pino handed over so far reached the shipper: with `block` some
 * may still wait in the paused stream (and its line splitter) after the current wait ends.
 */
async function linesHandedOver(waiting: () => Promise<void> | undefined, input: () => Transform | undefined): Promise<void> {
  for (;;) {
    const current = waiting()
    if (current) {
      await current
      continue
    }
    const source = input()
    if (!source || (source.readableLength === 0 && source.writableLength === 0)) return
    await new Promise((resolve) => setImmediate(resolve)) // the resumed stream hands the next lines over
  }
}

/**
 * `block` in the transport: wait up to maxBlockMs for room (polling: this is pino's worker
 * thread, not the app's), then let the policy count the loss.
 */
async function offerWhenRoom(shipper: Shipper, text: string): Promise<void> {
  const deadline = Date.now() + shipper.options.queue.maxBlockMs
  for (let pause = 1; ; pause = Math.min(pause * 2, 50)) {
    await new Promise((resolve) => setTimeout(resolve, pause))
    if (shipper.offerText(text) !== 'full') return
    if (Date.now() >= deadline) {
      shipper.writeRecord(Buffer.from(text)) // counted as dropped (queue_full) and reported by a loss marker
      return
    }
  }
}

function toEcsLine(line: string, keys: PinoKeys): string {
  let obj: unknown
  try {
    obj = JSON.parse(line)
  } catch {
    return line // not JSON: shipped as a message by write()
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return line
  return JSON.stringify(ecsFromPino(obj as Record<string, unknown>, keys))
}
