/** Counters of tail mode (all inputs together). */
export interface TailCounters {
  /** Entries turned into events and handed to the shipper. */
  events: number
  /** Entries left out by includeLines / excludeLines. */
  filtered: number
  /** Bytes read from files and stdin. */
  bytesRead: number
  /** Files found truncated (copytruncate, `: > file`) or replaced under the same inode: read again from 0. */
  truncations: number
  /** Files seen under a new path (rename rotation). */
  renames: number
  /** Copies of a truncated file picked up where the original stopped (copytruncate). */
  copiesResumed: number
  /** Files not read because they look binary. */
  binarySkipped: number
  /** Files that could not be opened or read (see the warnings). */
  openErrors: number
  /** Opens that failed for lack of file descriptors (EMFILE, ENFILE): the file waited its turn. */
  handleShortages: number
  harvestersStarted: number
  harvestersClosed: number
}

export function newCounters(): TailCounters {
  return {
    events: 0,
    filtered: 0,
    bytesRead: 0,
    truncations: 0,
    renames: 0,
    copiesResumed: 0,
    binarySkipped: 0,
    openErrors: 0,
    handleShortages: 0,
    harvestersStarted: 0,
    harvestersClosed: 0,
  }
}

export interface FileLag {
  readonly path: string
  readonly size: number
  readonly readOffset: number
  readonly ackedOffset: number
  /** size - ackedOffset: bytes written to the file but not yet acknowledged by the output. */
  readonly lag: number
  readonly open: boolean
}
