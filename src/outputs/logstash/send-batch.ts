import type { Batch, SendResult } from '../output.js'
import type { Balancer, Unavailable } from './balancer.js'
import type { LumberjackConnection, WindowOutcome } from './connection.js'
import type { EncodedWindow, WindowEncoder } from './encode-window.js'
import { onAbort } from './abort-hub.js'
import { POISON_STRIKES, type RefusalMemory } from './refusals.js'
import { outputError, describeError } from '../../errors.js'
import { indexRange } from '../../util/index-range.js'

/**
 * Sends one batch as as many windows as the connections' window sizes need, pipelined,
 * possibly over several connections. A window whose connection fails puts its
 * unacknowledged events back, and they go out again on whatever connection the balancer
 * offers next, inside this same call. Only when no connection is available does the batch
 * come back to the engine: as `partial` (the unacknowledged indexes, so acknowledged events
 * are never sent again) or `retryable` (nothing was acknowledged).
 *
 * Poison (see docs/outputs/logstash.md, "Events a server cannot decode"): events of windows
 * the server closed the connection on twice are *suspects*. They go out after the batch's other
 * events, each group alone as the first window of a fresh connection, so that a close can
 * be blamed on that window only; a group refused again is halved. Once `refusals` says a
 * refused window holds events the host refused POISON_STRIKES times while acknowledging
 * other windows, the batch comes back as `malformed` (nothing acknowledged: the engine
 * bisects it) or `partial` (the rest is retried, and refused again at once).
 */
export function sendBatch(name: string, batch: Batch, balancer: Balancer, encoder: WindowEncoder, refusals: RefusalMemory, signal: AbortSignal): Promise<SendResult> {
  // the engine's layout when it has one: `batch.records` would make it build a view per record
  const records = batch.layout ?? batch.records
  const count = batch.layout ? batch.layout.starts.length : batch.records.length
  const acked = new Uint8Array(count)
  let ackedCount = 0
  /** Indexes not on the wire, in order. */
  let todo: number[] = []
  let head = 0
  /** Groups of suspects, each to go out alone on a fresh connection, in this order. */
  const suspects: number[][] = []
  let outstanding = 0
  let pumping = false
  let finished = false
  let unavailable: Unavailable | undefined
  let lastProblem: string | undefined
  /** Set once a refused window holds events known to be poison: no more windows. */
  let poison: string | undefined
  let cancelAbort = (): void => {}

  if (refusals.size === 0) todo = indexRange(0, count)
  else {
    // events refused before (in an earlier try, or in the batch this one was split from) are
    // suspects again, in the groups they were refused in, the longest ago first: the group
    // refused last waits until the others showed whether the host works
    const groups: { at: number; indexes: number[] }[] = []
    for (let i = 0; i < count; i++) {
      const at = refusals.refusedAt(batch.key(i))
      if (at === undefined) todo.push(i)
      else if (groups.at(-1)?.at === at && groups.at(-1)!.indexes.at(-1) === i - 1) groups.at(-1)!.indexes.push(i)
      else groups.push({ at, indexes: [i] })
    }
    groups.sort((a, b) => a.at - b.at)
    for (const g of groups) suspects.push(g.indexes)
  }

  return new Promise<SendResult>((resolve) => {
    const finish = (): void => {
      if (finished) return
      finished = true
      cancelAbort()
      resolve(result())
    }

    const unackedIndexes = (): number[] => {
      const retry: number[] = []
      for (let i = 0; i < count; i++) if (acked[i] === 0) retry.push(i)
      return retry
    }

    const result = (): SendResult => {
      if (ackedCount === count) return { status: 'delivered' }
      if (poison !== undefined) {
        if (ackedCount > 0) return { status: 'partial', retry: unackedIndexes(), rejected: [] }
        // a single event is dead-lettered by the engine now: it is not sent again
        if (count === 1) refusals.forget(batch.key(0))
        return { status: 'malformed', reason: poison }
      }
      const problems = unavailable?.problems ?? []
      const why = unavailable?.aborted ? 'the output is shutting down' : (lastProblem ?? problems.at(-1)?.message ?? 'no Logstash host is reachable')
      if (ackedCount > 0) return { status: 'partial', retry: unackedIndexes(), rejected: [] }
      // certificates that no host accepts will not start working by retrying
      if (problems.length > 0 && problems.every((p) => p.config)) return { status: 'fatal', error: outputError(name, problems.at(-1)!.message) }
      const error = outputError(name, why)
      // refused events are blamed only once the host acknowledged other events: let those go meanwhile
      const waitsForOthers = indexRange(0, count).some((i) => refusals.refusedAt(batch.key(i)) !== undefined)
      return unavailable && !unavailable.aborted && unavailable.retryAfterMs > 0
        ? { status: 'retryable', error, retryAfterMs: unavailable.retryAfterMs, waitsForOthers }
        : { status: 'retryable', error, waitsForOthers }
    }

    const moreToSend = (): boolean => head < todo.length || suspects.length > 0

    const settle = (): void => {
      if (outstanding > 0) return
      if (poison !== undefined || !moreToSend() || unavailable) finish()
    }

    /** Returns true when the window was refused and holds poison (the connection then does not count the close against the host). */
    const windowDone = (indexes: readonly number[], outcome: WindowOutcome): boolean => {
      outstanding--
      for (let k = 0; k < outcome.acked; k++) {
        acked[indexes[k]!] = 1
      }
      ackedCount += outcome.acked
      if (refusals.size > 0) for (let k = 0; k < outcome.acked; k++) refusals.forget(batch.key(indexes[k]!))
      let isPoison = false
      if (outcome.acked < indexes.length) {
        lastProblem = outcome.error?.message
        const rest = indexes.slice(outcome.acked)
        const host = outcome.refusedBy
        if (host) {
          const strikes = refusals.refused(
            rest.map((i) => batch.key(i)),
            host,
          )
          if (strikes >= POISON_STRIKES) {
            isPoison = true
            poison ??= `${host.label} closed the connection on a window holding this event ${strikes} times while it acknowledged other windows: a Logstash beats input does that with an event it cannot decode (its log names the error)`
          } else {
            // alone again, in halves: the half without the poison is taken, which also shows the host works
            // (the halves stay apart in later tries too)
            const half = Math.ceil(rest.length / 2)
            suspects.push(rest.slice(0, half))
            if (half < rest.length) {
              suspects.push(rest.slice(half))
              refusals.touch(rest.slice(half).map((i) => batch.key(i)))
            }
          }
        } else if (outcome.closedByServer && refusals.closedOn(rest.map((i) => batch.key(i)))) {
          suspects.push(rest)
        } else requeue(rest)
        // not now: the connection is still failing this window
        queueMicrotask(() => void pump())
      }
      settle()
      return isPoison
    }

    const requeue = (indexes: readonly number[]): void => {
      todo = [...todo.slice(head), ...indexes].sort((a, b) => a - b)
      head = 0
    }

    const pump = async (): Promise<void> => {
      if (pumping) return
      pumping = true
      try {
        while (moreToSend() && !unavailable && !finished && poison === undefined) {
          // suspects go last: the batch's other windows show whether the host works
          const solo = head >= todo.length
          const got = await balancer.acquire(signal, solo)
          if ('unavailable' in got) {
            unavailable = got
            break
          }
          await launch(got, solo)
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

    const takeWindow = (size: number, solo: boolean): number[] => {
      if (!solo) {
        const indexes = todo.slice(head, head + size)
        head += indexes.length
        return indexes
      }
      const group = suspects[0]
      if (!group) return []
      if (group.length <= size) suspects.shift()
      else suspects[0] = group.slice(size)
      return group.slice(0, size)
    }

    const putBack = (indexes: number[], solo: boolean): void => {
      if (solo) suspects.unshift(indexes)
      else requeue(indexes)
    }

    const launch = async (connection: LumberjackConnection, solo: boolean): Promise<void> => {
      const size = connection.window.size
      const indexes = takeWindow(size, solo)
      if (indexes.length === 0) {
        connection.release(0, solo)
        balancer.changed() // the slot it held is free again
        return
      }
      outstanding++
      connection.reserveEvents(indexes.length)
      let encoded: EncodedWindow
      try {
        encoded = await encoder.encode(records, indexes)
      } catch (err) {
        connection.release(indexes.length, solo)
        outstanding--
        putBack(indexes, solo)
        throw err
      }
      connection.release(indexes.length, solo)
      // the batch may have been given back (abort), or the connection may have failed
      // while the window was being compressed
      if (finished || poison !== undefined || !(solo ? connection.canSendSolo() : connection.canSend())) {
        encoded.written()
        outstanding--
        putBack(indexes, solo)
        balancer.changed() // the slot it held is free again
        return
      }
      connection.send(encoded, indexes.length, !solo && indexes.length === size, (outcome) => windowDone(indexes, outcome), solo)
    }

    const aborted = (): void => {
      unavailable ??= { unavailable: true, retryAfterMs: 0, problems: [], aborted: true }
      finish()
    }
    if (signal.aborted) return aborted()
    cancelAbort = onAbort(signal, aborted)
    if (count === 0) finish()
    else void pump()
  })
}
