/**
 * Waiting for the other thread through a shared word: it bumps `word` (and notifies, when
 * `waitingFlag` is 1) whenever what we wait for may have changed. The flag is set before
 * `done()` is checked and the word's value is read before that, so a change in between is
 * never missed: the wait returns at once. `pollMs` bounds each single wait (a notify can be
 * skipped by design: the other side only notifies when it sees the flag).
 */
export interface WordWait {
  readonly control: Int32Array
  /** Control slot the other thread bumps on a change. */
  readonly word: number
  /** Control slot set to 1 while we wait, so the other thread knows to notify. */
  readonly waitingFlag: number
  /** True when the wait is over (called again after every wake-up). */
  readonly done: () => boolean
  readonly pollMs: number
}

/** Waits without blocking the thread. Atomics.waitAsync alone does not keep the process alive: a timer does meanwhile. */
export async function waitOnWord(w: WordWait): Promise<void> {
  if (w.done()) return
  const keepAlive = setInterval(() => {}, 60_000)
  try {
    for (;;) {
      const seen = Atomics.load(w.control, w.word)
      Atomics.store(w.control, w.waitingFlag, 1)
      if (w.done()) return
      const waited = Atomics.waitAsync(w.control, w.word, seen, w.pollMs)
      if (waited.async) await waited.value
    }
  } finally {
    clearInterval(keepAlive)
  }
}

/**
 * Blocks the calling thread until `done()` or `timeoutMs` passes (0: check once). Returns
 * whether it is done. The waiting flag is left as it is: callers that wait often clear it
 * themselves when they stop waiting for good.
 */
export function waitOnWordSync(w: WordWait, timeoutMs: number): boolean {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const seen = Atomics.load(w.control, w.word)
    Atomics.store(w.control, w.waitingFlag, 1)
    if (w.done()) return true
    const left = deadline - performance.now()
    if (left <= 0) return false
    Atomics.wait(w.control, w.word, seen, Math.min(left, w.pollMs))
  }
}
