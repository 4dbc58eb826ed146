/**
 * A connection's part in sending a window alone (poison isolation, see send-batch.ts): such a
 * window must be the first and only window of a fresh connection, so that a close can be
 * blamed on it. Tracks whether this connection is kept for one, and whether batches wait
 * for a fresh connection here (then it takes no new windows).
 */
export class SoloSlot {
  /** A window sent alone is in flight or being encoded on this connection: no other window may join it. */
  held = false
  #wanted = 0

  /** Batches are waiting to send a window alone on a fresh connection here. */
  get wanted(): boolean {
    return this.#wanted > 0
  }

  /** A batch waits for a fresh connection; returns the function that withdraws that (effective once; calls `onNoneLeft` when no batch waits any more). */
  want(onNoneLeft: () => void): () => void {
    this.#wanted++
    let withdrawn = false
    return () => {
      if (withdrawn) return
      withdrawn = true
      this.#wanted--
      if (this.#wanted === 0) onNoneLeft()
    }
  }
}
