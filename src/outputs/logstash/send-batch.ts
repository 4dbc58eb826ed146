import type { Batch, SendResult } from '../output.js'
import type { Balancer, Unavailable } from './balancer.js'
import type { LumberjackConnection, WindowOutcome } from './connection.js'
import { encodeWindowFrames } from './encode-window.js'
import { onAbort } from './abort-hub.js'
import { outputError, describeError } from '../../errors.js'

/**
 * Sends one batch as as many windows as the connections' window sizes need, pipelined,
 * possibly over several connections. A window whose connection fails puts its
 * unacknowledged events back, and they go out again on whatever connection the balancer
 * offers next, inside this same call. Only when no connection is available does the batch
 * come back to the engine: as `partial` (the unacknowledged indexes, so acknowledged events
 * are never sent again) or `retryable` (nothing was acknowledged).
 */
export function sendBatch(name: string, batch: Batch, balancer: Balancer, compressionLevel: number, signal: AbortSignal): Promise<SendResult> {
  const records = batch.records
  const acked = new Uint8Array(records.length)
  let ackedCount = 0
  /** Indexes not on the wire, in order. */
  let todo: number[] = records.map((_, i) => i)
  let head = 0
  let outstanding = 0
  let pumping = false
  let finished = false
  let unavailable: Unavailable | undefined
  let lastProblem: string | undefined
  let cancelAbort = (): void => {}

  return new Promise<SendResult>((resolve) => {
    const finish = (): void => {
      if (finished) return
      finished = true
      cancelAbort()
      resolve(result())
    }

    const result = (): SendResult => {
      if (ackedCount === records.length) return { status: 'delivered' }
      const problems = unavailable?.problems ?? []
      const why = unavailable?.aborted ? 'the output is shutting down' : (lastProblem ?? problems.at(-1)?.message ?? 'no Logstash host is reachable')
      if (ackedCount > 0) {
        const retry: number[] = []
        for (let i = 0; i < records.length; i++) if (acked[i] === 0) retry.push(i)
        return { status: 'partial', retry, rejected: [] }
      }
      // certificates that no host accepts will not start working by retrying
      if (problems.length > 0 && problems.every((p) => p.config)) return { status: 'fatal', error: outputError(name, problems.at(-1)!.message) }
      const error = outputError(name, why)
      return unavailable && !unavailable.aborted && unavailable.retryAfterMs > 0
        ? { status: 'retryable', error, retryAfterMs: unavailable.retryAfterMs }
        : { status: 'retryable', error }
    }

    const settle = (): void => {
      if (outstanding > 0) return
      if (head >= todo.length || unavailable) finish()
    }

    const windowDone = (indexes: readonly number[], outcome: WindowOutcome): void => {
      outstanding--
      for (let k = 0; k < outcome.acked; k++) {
        acked[indexes[k]!] = 1
      }
      ackedCount += outcome.acked
      if (outcome.acked < indexes.length) {
        lastProblem = outcome.error?.message
        requeue(indexes.slice(outcome.acked))
        void pump()
      }
      settle()
    }

    const requeue = (indexes: readonly number[]): void => {
      todo = [...todo.slice(head), ...indexes].sort((a, b) => a - b)
      head = 0
    }

    const pump = async (): Promise<void> => {
      if (pumping) return
      pumping = true
      try {
        while (head < todo.length && !unavailable && !finished) {
          const got = await balancer.acquire(signal)
          if ('unavailable' in got) {
            unavailable = got
            break
          }
          await launch(got)
        }
      } catch (err) {
        lastProblem = `encoding a window failed: ${describeError(err)}`
        unavailable = { unavailable: true, retryAfterMs: 0, problems: [], aborted: false }
      } finally {
        pumping = false
      }
      if (unavailable?.aborted) finish()
      else settle()
    }

    const launch = async (connection: LumberjackConnection): Promise<void> => {
      const size = connection.window.size
      const indexes = todo.slice(head, head + size)
      head += indexes.length
      outstanding++
      connection.reserve(indexes.length)
      let frames: Buffer[]
      try {
        frames = await encodeWindowFrames(
          indexes.map((i) => records[i]!),
          compressionLevel,
        )
      } catch (err) {
        connection.release(indexes.length)
        outstanding--
        requeue(indexes)
        throw err
      }
      connection.release(indexes.length)
      // the batch may have been given back (abort), or the connection may have failed
      // while the window was being compressed
      if (finished || !connection.canSend()) {
        outstanding--
        requeue(indexes)
        balancer.changed() // the slot it held is free again
        return
      }
      void connection.send(frames, indexes.length, indexes.length === size).then((outcome) => windowDone(indexes, outcome))
    }

    const aborted = (): void => {
      unavailable ??= { unavailable: true, retryAfterMs: 0, problems: [], aborted: true }
      finish()
    }
    if (signal.aborted) return aborted()
    cancelAbort = onAbort(signal, aborted)
    if (records.length === 0) finish()
    else void pump()
  })
}
