import type { AckGroup } from '../util/ordered-acks.js'

/** The seq of a loss marker (not a user event: it holds no budget and settles nothing). */
export const MARKER = -1

/** A batch as the engine delivers it: records copied out of the queue, with what settling them needs. */
export interface WorkBatch {
  /** Views into `arena`, each followed there by a newline. */
  readonly records: Buffer[]
  readonly arena: Buffer
  /** The records sit back to back in `arena` (a batch as cut, or a split half of one). */
  readonly contiguous: boolean
  /** User seq per record; MARKER for loss markers. */
  readonly seqs: number[]
  /** Queue-budget bytes per record (0 for loss markers and records read from the spill). */
  readonly framed: number[]
  /** The batch as first cut: settled (for the watermark) once every record of it is. */
  readonly group: AckGroup
}

export function indexes(batch: WorkBatch): number[] {
  return batch.records.map((_, i) => i)
}

/** Records that are user events (loss markers left out). */
export function userCount(batch: WorkBatch): number {
  let n = 0
  for (const s of batch.seqs) if (s !== MARKER) n++
  return n
}

function slice(batch: WorkBatch, from: number, to: number): WorkBatch {
  return { ...batch, records: batch.records.slice(from, to), seqs: batch.seqs.slice(from, to), framed: batch.framed.slice(from, to) }
}

/** The two halves of a batch, in order (both still contiguous in the arena). */
export function halves(batch: WorkBatch): [WorkBatch, WorkBatch] {
  const half = batch.records.length >> 1
  return [slice(batch, 0, half), slice(batch, half, batch.records.length)]
}

/** The records at `which` (any order), in batch order. */
export function pick(batch: WorkBatch, which: readonly number[]): WorkBatch {
  const sorted = [...which].sort((a, b) => a - b)
  return {
    ...batch,
    contiguous: false, // a retried subset has gaps
    records: sorted.map((i) => batch.records[i]!),
    seqs: sorted.map((i) => batch.seqs[i]!),
    framed: sorted.map((i) => batch.framed[i]!),
  }
}

/** The records' NDJSON, straight from the arena, when they sit back to back there. */
export function contiguousNdjson(batch: WorkBatch): Buffer | undefined {
  const { records, arena } = batch
  const first = records[0]
  const last = records[records.length - 1]
  if (!batch.contiguous || !first || !last) return undefined
  const start = first.byteOffset - arena.byteOffset
  return arena.subarray(start, last.byteOffset - arena.byteOffset + last.byteLength + 1)
}
