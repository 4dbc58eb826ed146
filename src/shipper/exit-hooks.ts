/** What the exit hooks need of a shipper (an interface, so that this file does not import the shipper). */
export interface ExitHookTarget {
  readonly options: { readonly thread: 'worker' | 'main'; readonly closeTimeoutMs: number }
  progress(): { accepted: number }
  flushSync(timeoutMs: number): number
  abandonSync(): void
  close(): Promise<void>
}

/**
 * Normal exit loses nothing: on 'exit' and 'beforeExit' every live shipper blocks the app
 * thread (bounded by its closeTimeoutMs) while its worker ships what is queued. SIGTERM and
 * SIGINT get the same flush and then the default behaviour (the process ends by that
 * signal), but only when no other listener owns the signal: an app that handles it itself
 * decides when to exit, and the 'exit' hook flushes then.
 */
const live = new Set<ExitHookTarget>()
const SIGNALS = ['SIGTERM', 'SIGINT'] as const

/** Accepted count at which a shipper's exit flush last ran out of time (not retried for nothing). */
const gaveUpAt = new WeakMap<ExitHookTarget, number>()

/** Ships what it can (bounded by each closeTimeoutMs) while the worker threads keep sending. */
function flushAll(): void {
  for (const shipper of live) {
    if (shipper.options.thread === 'main') continue // nothing can ship on this thread now
    const { accepted } = shipper.progress()
    if (gaveUpAt.get(shipper) === accepted) continue
    const left = shipper.flushSync(shipper.options.closeTimeoutMs)
    if (left > 0) gaveUpAt.set(shipper, accepted)
  }
}

/**
 * The process ends now: after the flush, whatever is left is counted as dropped.shutdown
 * (and said once per shipper), so that stats() adds up in the app's own 'exit' listeners.
 */
function flushAndAbandonAll(): void {
  flushAll()
  for (const shipper of [...live]) shipper.abandonSync()
}

function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return
  flushAndAbandonAll()
  live.clear()
  uninstall()
  process.kill(process.pid, signal)
}

function onExit(): void {
  flushAndAbandonAll()
}

/**
 * The loop is empty but the app can still run code: worker shippers flush synchronously;
 * a shipper on the app's own thread closes (bounded by closeTimeoutMs), which keeps the
 * loop alive while it ships, and the process exits after it.
 */
function onBeforeExit(): void {
  for (const shipper of live) if (shipper.options.thread === 'main') void shipper.close()
  flushAll()
}

function install(): void {
  // first in line: the app's own 'exit' listeners then read final stats
  process.prependListener('exit', onExit)
  process.on('beforeExit', onBeforeExit)
  for (const s of SIGNALS) process.on(s, onSignal)
}

function uninstall(): void {
  process.off('exit', onExit)
  process.off('beforeExit', onBeforeExit)
  for (const s of SIGNALS) process.off(s, onSignal)
}

export function registerExitHooks(shipper: ExitHookTarget): void {
  if (live.size === 0) install()
  live.add(shipper)
}

export function unregisterExitHooks(shipper: ExitHookTarget): void {
  if (!live.delete(shipper)) return
  if (live.size === 0) uninstall()
}
