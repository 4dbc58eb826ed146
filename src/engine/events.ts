import type { LogshipErrorCode } from '../errors.js'
import type { HostHealth } from '../outputs/output.js'
import type { ResolvedOptions } from '../options/schema.js'
import type { SharedState } from '../shared/layout.js'

export interface EngineError {
  readonly code: LogshipErrorCode
  readonly message: string
}

export interface EngineDrop {
  readonly reason: string
  readonly count: number
}

export interface EngineDeadLetter {
  readonly reason: string
  readonly count: number
  /** The first (up to 100) events as their JSON texts. */
  readonly events: string[]
}

/** What the engine tells the shipper (in worker mode, these cross the thread boundary as WorkerMessages). */
export interface EngineEvents {
  error(info: EngineError): void
  deadLetter(info: EngineDeadLetter): void
  drop(info: EngineDrop): void
}

/** Worker thread → app thread: the engine's events, plus the worker's own lifecycle and answers. */
export type WorkerMessage =
  | ({ readonly type: 'error' } & EngineError)
  | ({ readonly type: 'drop' } & EngineDrop)
  | ({ readonly type: 'dead-letter' } & EngineDeadLetter)
  | { readonly type: 'ready'; readonly outputName: string }
  | { readonly type: 'health'; readonly id: number; readonly hosts: readonly HostHealth[] }
  | { readonly type: 'closed' }

/** App thread → worker thread. `init` comes first: the worker starts before the options are checked (see startWorkerEarly). */
export type AppMessage =
  | { readonly type: 'init'; readonly options: ResolvedOptions; readonly state: SharedState }
  | { readonly type: 'close'; readonly timeoutMs: number }
  | { readonly type: 'health'; readonly id: number }

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
