import type { RecordLayout } from '../outputs/output.js'
import type { AckGroup } from '../util/ordered-acks.js'
import { indexRange } from '../util/index-range.js'

/** The seq of a loss marker (not a user event: it holds no budget and settles nothing). */
export const MARKER = -1

/**
 * A batch as the engine delivers it: records copied out of the queue, with what settling them
 * needs. Records are where they sit in `arena` (two numbers each), not one view object each:
 * a batch of 2048 records lives for a round trip to the sink, long enough for per-record views
 * to survive young-generation collections, and collecting them was a large share of the
 * worker's time (bench/profiles/logstash-worker.md). Views are made only when asked for.
 */
export interface WorkBatch extends RecordLayout {
  /** Holds every record, each followed there by a newline. */
  readonly arena: Buffer
  /** The records sit back to back in `arena` (a batch as cut, or a split half of one). */
  readonly contiguous: boolean
  /** User seq per record; MARKER for loss markers. */
  readonly seqs: Float64Array
  /** Queue-budget bytes per record (0 for loss markers and records read from the spill). */
  readonly framed: Uint32Array
  /** The batch as first cut: settled (for the watermark) once every record of it is. */
  readonly group: AckGroup
}

export function recordCount(batch: RecordLayout): number {
  return batch.starts.length
}

/** Record `i` as a view into the arena. */
export function recordAt(batch: WorkBatch, i: number): Buffer {
  const start = batch.starts[i]!
  return batch.arena.subarray(start, start + batch.lengths[i]!)
}

/** Every record as a view into the arena (what `Batch.records` hands an output that asks). */
export function recordViews(batch: WorkBatch): Buffer[] {
  const views = new Array<Buffer>(recordCount(batch))
  for (let i = 0; i < views.length; i++) views[i] = recordAt(batch, i)
  return views
}

export function indexes(batch: WorkBatch): number[] {
  return indexRange(0, recordCount(batch))
}

/** Records that are user events (loss markers left out). */
export function userCount(batch: WorkBatch): number {
  let n = 0
  for (const s of batch.seqs) if (s !== MARKER) n++
  return n
}

function slice(batch: WorkBatch, from: number, to: number): WorkBatch {
  return {
    ...batch,
    starts: batch.starts.subarray(from, to),
    lengths: batch.lengths.subarray(from, to),
    seqs: batch.seqs.subarray(from, to),
    framed: batch.framed.subarray(from, to),
  }
}

/** The two halves of a batch, in order (both still contiguous in the arena). */
export function halves(batch: WorkBatch): [WorkBatch, WorkBatch] {
  const n = recordCount(batch)
  const half = n >> 1
  return [slice(batch, 0, half), slice(batch, half, n)]
}

/** The records at `which` (any order), in batch order. */
export function pick(batch: WorkBatch, which: readonly number[]): WorkBatch {
  const sorted = [...which].sort((a, b) => a - b)
  return {
    ...batch,
    contiguous: false, // a retried subset has gaps
    starts: Uint32Array.from(sorted, (i) => batch.starts[i]!),
    lengths: Uint32Array.from(sorted, (i) => batch.lengths[i]!),
    seqs: Float64Array.from(sorted, (i) => batch.seqs[i]!),
    framed: Uint32Array.from(sorted, (i) => batch.framed[i]!),
  }
}

/** The records' NDJSON, straight from the arena, when they sit back to back there. */
export function contiguousNdjson(batch: WorkBatch): Buffer | undefined {
  const n = recordCount(batch)
  if (!batch.contiguous || n === 0) return undefined
  const start = batch.starts[0]!
  return batch.arena.subarray(start, batch.starts[n - 1]! + batch.lengths[n - 1]! + 1)
}
