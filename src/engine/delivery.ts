import type { RejectedRecord, SendResult } from '../outputs/output.js'
import type { ConsumerLedger } from '../shared/ledger.js'
import { backoffDelay } from '../util/backoff.js'
import { indexRange } from '../util/index-range.js'
import type { OutputVerdict, Sender } from './sender.js'
import type { Settler } from './settler.js'
import { halves, indexes, MARKER, pick, recordCount, userCount, type WorkBatch } from './work-batch.js'

/** The retry settings `decide` applies (options.retry) and the output's name for messages. */
export interface DeliveryPolicy {
  readonly maxRetries: number
  readonly initialDelayMs: number
  readonly maxDelayMs: number
  readonly outputName: string
  /** Jitter source (tests pass a fixed one). */
  readonly random?: () => number
}

/** Where a batch (or what is left of it) stands before this answer. */
export interface Attempt {
  /** Failed attempts in a row without progress (0 for the first send). */
  readonly failures: number
  /** Records in the batch that was sent. */
  readonly records: number
}

interface Settles {
  /** Indexes (into the batch sent) to settle as acknowledged. */
  readonly acked: readonly number[]
  /** Records to settle as failed (dead-lettered). */
  readonly rejected: readonly RejectedRecord[]
  readonly output: OutputVerdict
}

/**
 * What to do with a batch after the output's answer:
 * - settle: done with it (`acked` and `rejected` say how each record ends);
 * - fail: as settle, then give up on `giveUp` too (unsendable, or out of retries): failed;
 * - split: send each half on its own, in order (the answer blames the batch, not one record);
 * - retryAfter: settle what is settled, then send the records in `retry` again after
 *   `delayMs`, as attempt `failures`.
 */
export type Decision =
  | ({ readonly kind: 'settle' } & Settles)
  | ({ readonly kind: 'fail'; readonly giveUp: readonly RejectedRecord[] } & Settles)
  | { readonly kind: 'split'; readonly output: OutputVerdict }
  | ({ readonly kind: 'retryAfter'; readonly retry: readonly number[] | 'all'; readonly delayMs: number; readonly failures: number } & Settles)

/**
 * The retry policy as a pure function of the answer (Vector's RetryLogic is the model): the
 * output reports a SendResult, this decides. An attempt that delivered anything is not a
 * failed attempt: it resets the count and the backoff, so `maxRetries` counts attempts in a
 * row without progress (a sink that drops the connection every few windows progresses on
 * every attempt and must not be dead-lettered or slowed to maxDelayMs for it).
 */
export function decide(result: SendResult, attempt: Attempt, policy: DeliveryPolicy): Decision {
  const { records } = attempt
  const none = { acked: [], rejected: [] }
  switch (result.status) {
    case 'delivered':
      return { kind: 'settle', acked: indexRange(0, records), rejected: [], output: 'answered' }
    case 'too-large':
      if (records > 1) return { kind: 'split', output: 'unknown' }
      return { kind: 'fail', ...none, giveUp: [{ index: 0, reason: `the event is too large for ${policy.outputName}` }], output: 'unknown' }
    case 'malformed': {
      // Poison isolation: the sink answered, so it is up; halve until the records to blame
      // stand alone, dead-letter those and deliver the rest. Never the same poison again.
      if (records > 1) return { kind: 'split', output: 'answered' }
      const reason = `${result.reason} (${policy.outputName} refused this event on its own as malformed: isolated by splitting its batch)`
      return { kind: 'fail', ...none, giveUp: [result.sinkStatus === undefined ? { index: 0, reason } : { index: 0, reason, status: result.sinkStatus }], output: 'answered' }
    }
    case 'partial': {
      const retry = new Set(result.retry)
      const rejectedAt = new Set(result.rejected.map((r) => r.index))
      const acked = indexRange(0, records).filter((i) => !retry.has(i) && !rejectedAt.has(i))
      const settles = { acked, rejected: result.rejected, output: 'answered' as const }
      if (retry.size === 0) return { kind: 'settle', ...settles }
      const progressed = retry.size + rejectedAt.size < records
      const failures = progressed ? 0 : attempt.failures + 1
      if (failures > policy.maxRetries) return { kind: 'fail', ...settles, giveUp: [...retry].map((index) => ({ index, reason: 'retries exhausted' })) }
      return { kind: 'retryAfter', ...settles, retry: [...retry], failures, delayMs: retryDelay(result, failures, policy) }
    }
    case 'retryable':
    case 'fatal': {
      const failures = attempt.failures + 1
      const settles = { ...none, output: 'failing' as const }
      if (failures > policy.maxRetries)
        return { kind: 'fail', ...settles, giveUp: indexRange(0, records).map((index) => ({ index, reason: `retries exhausted: ${result.error.message}` })) }
      return { kind: 'retryAfter', ...settles, retry: 'all', failures, delayMs: retryDelay(result, failures, policy) }
    }
  }
}

function retryDelay(result: SendResult, failures: number, policy: DeliveryPolicy): number {
  const { initialDelayMs, maxDelayMs } = policy
  if (result.status === 'fatal') return maxDelayMs
  const delay = backoffDelay(Math.max(1, failures), initialDelayMs, maxDelayMs, policy.random)
  if (result.status === 'retryable' && result.retryAfterMs !== undefined) return Math.min(maxDelayMs, Math.max(delay, result.retryAfterMs))
  return delay
}

/** What the delivery loop works with (the engine's parts, narrowed). */
export interface DeliveryParts {
  readonly sender: Pick<Sender, 'send' | 'observe' | 'backoff'>
  readonly settler: Pick<Settler, 'settle' | 'fail'>
  readonly ledger: Pick<ConsumerLedger, 'retried'>
  readonly policy: DeliveryPolicy
  /** The engine stopped: what is left is dropped (spilled records stay on disk). */
  stopped(): boolean
  onError(message: string): void
  /** The batch waits for other batches to be acknowledged (see SendResult `waitsForOthers`): let newer ones go beside it. */
  waitsForOthers?(): void
}

/** Sends `batch` until every record of it is settled, applying `decide` to each answer. */
export async function deliver(batch: WorkBatch, parts: DeliveryParts): Promise<void> {
  const { sender, settler, policy } = parts
  const work: WorkBatch[] = [batch]
  while (work.length > 0) {
    let current = work.shift()!
    let failures = 0
    for (;;) {
      if (parts.stopped()) {
        // Records that came from the spill stay there (the cursor does not pass them): the
        // next run ships them. Only records that exist in memory alone are lost.
        settler.settle(
          current,
          indexes(current).filter((i) => current.framed[i]! > 0 || current.seqs[i] === MARKER),
          'shutdown',
        )
        break
      }
      const result = await sender.send(current)
      const decision = decide(result, { failures, records: recordCount(current) }, policy)
      sender.observe(decision.output, result)
      if (decision.kind === 'split') {
        work.unshift(...halves(current))
        break
      }
      settler.settle(current, decision.acked, 'acked')
      if (decision.rejected.length > 0) await settler.fail(current, decision.rejected, parts.onError)
      if (decision.kind === 'fail') await settler.fail(current, decision.giveUp, parts.onError)
      if (decision.kind !== 'retryAfter') break
      if (decision.retry !== 'all') current = pick(current, decision.retry)
      failures = decision.failures
      if (result.status === 'retryable' && result.waitsForOthers === true) parts.waitsForOthers?.()
      parts.ledger.retried(userCount(current))
      await sender.backoff(decision.delayMs)
    }
  }
}
