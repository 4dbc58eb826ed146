/** What the engine tells the shipper (in worker mode, these cross the thread boundary). */
export interface EngineEvents {
  error(info: { code: string; message: string }): void
  deadLetter(info: { reason: string; count: number; events: string[] }): void
  drop(info: { reason: string; count: number }): void
}

/** How the engine sleeps until the producer has written something (or it is kicked). */
export interface Wakeup {
  /**
   * Resolves when `hasWork()` is true, the producer rang, or `kick` was called. With
   * `producerMayWake` false the producer is not asked to ring (the engine could not take
   * more anyway): it sleeps until kicked or its poll interval passes.
   */
  wait(hasWork: () => boolean, producerMayWake?: boolean): Promise<void>
  kick(): void
}
