import { ringCapacity } from '../shared/layout.js'

/** The largest record the shipper's queue takes with this `queue.maxBytes` (see RingWriter). */
export function maxRecordBytes(queueMaxBytes: number): number {
  return Math.min(queueMaxBytes, ringCapacity(queueMaxBytes) / 2) - 8
}
