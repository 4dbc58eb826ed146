/** Bytes of a file's head used to recognise it (Filebeat's fingerprint length). */
export const FINGERPRINT_BYTES = 1024

/**
 * What a file's state reaches of the harvester reading it (Harvester implements it; declared
 * here so that this file does not import harvester.ts, which imports this one).
 */
export interface FileReader {
  /** Check size and head for truncation before the next read (asked once per scan). */
  requestCheck(): void
  /** The scanner saw the file grow: read now instead of waiting out the backoff. */
  poke(): void
  /** The scanner found the file under another path. */
  renamed(path: string): void
}

/**
 * What logship knows about one file's content: where it is, how to recognise it (device +
 * inode, and a hash of its first bytes), how far it was read and how far its lines are
 * acknowledged. A file truncated in place gets a new FileState (same inode, new content).
 */
export class FileState {
  key: string
  dev: number
  ino: number
  path: string
  /** How many head bytes `fpHash` covers (up to FINGERPRINT_BYTES; fewer while the file is smaller). */
  fpLen: number
  fpHash: string
  /** The head bytes `fpHash` covers, once this process has read them (not kept in the registry). */
  head: Buffer | undefined
  /**
   * Set on a rotated copy adopted after logship had read its original past the copy's end
   * (lines written between copytruncate's copy and its truncation): acknowledgements stop here.
   */
  endOffset: number | undefined
  /** Start of the first entry not yet handed to the shipper. */
  readOffset: number
  /** Every entry before this offset is acknowledged (what the registry stores). */
  ackedOffset: number
  /** Last size seen by a scan or a read. */
  size: number
  /** Last time a scan found the file (ms since the epoch). */
  lastSeen: number
  /** Checkpoints of this file still waiting for acknowledgements. */
  pendingAcks = 0
  harvester: FileReader | undefined
  /** The input that reads this file (the first whose globs matched it). */
  owner: object | undefined
  /** Scan generation of the owner's last scan that found this file. */
  seenGen = 0
  /** Times its content was found truncated or replaced. */
  truncations = 0
  /** The registry line last written for this state (rebuilt when something in it changed). */
  savedLine: string | undefined
  savedOffset = -1

  constructor(init: { dev: number; ino: number; path: string; fpLen: number; fpHash: string; head?: Buffer; offset: number; size: number; lastSeen?: number }) {
    this.dev = init.dev
    this.ino = init.ino
    this.key = keyOf(init.dev, init.ino)
    this.path = init.path
    this.fpLen = init.fpLen
    this.fpHash = init.fpHash
    this.head = init.head
    this.endOffset = undefined
    this.readOffset = init.offset
    this.ackedOffset = init.offset
    this.size = init.size
    this.lastSeen = init.lastSeen ?? Date.now()
  }

  acknowledge(offset: number): void {
    if (this.endOffset !== undefined && offset > this.endOffset) offset = this.endOffset
    if (offset > this.ackedOffset) this.ackedOffset = offset
  }

  /** Bytes in the file not yet acknowledged: how far behind logship is on it. */
  get lag(): number {
    return Math.max(0, this.size - this.ackedOffset)
  }

  /** Nothing of it is in flight: every entry read is acknowledged. */
  get settled(): boolean {
    return this.pendingAcks === 0 && this.ackedOffset >= this.readOffset
  }

  invalidateLine(): void {
    this.savedLine = undefined
  }
}

export function keyOf(dev: number, ino: number): string {
  return `${dev}:${ino}`
}
