import type { Shipper } from './shipper.js'

/**
 * Normal exit loses nothing: on 'exit' and 'beforeExit' every live shipper blocks the app
 * thread (bounded by its closeTimeoutMs) while its worker ships what is queued. SIGTERM and
 * SIGINT get the same flush and then the default behaviour (the process ends by that
 * signal), but only when no other listener owns the signal: an app that handles it itself
 * decides when to exit, and the 'exit' hook flushes then.
 */
const live = new Set<Shipper>()
const SIGNALS = ['SIGTERM', 'SIGINT'] as const

/** Accepted count at which a shipper's exit flush last ran out of time (not retried for nothing). */
const gaveUpAt = new WeakMap<Shipper, number>()

function flushAll(): void {
  for (const shipper of live) {
    if (shipper.options.thread === 'main') continue // nothing can ship on this thread now
    const { accepted } = shipper.progress()
    if (gaveUpAt.get(shipper) === accepted) continue
    const left = shipper.flushSync(shipper.options.closeTimeoutMs)
    if (left === 0) continue
    gaveUpAt.set(shipper, accepted)
    process.stderr.write(`logship: ${left} events were not acknowledged within closeTimeoutMs (${shipper.options.closeTimeoutMs} ms) at exit; check the output (or raise closeTimeoutMs)\n`)
  }
}

function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return
  flushAll()
  live.clear()
  uninstall()
  process.kill(process.pid, signal)
}

function onExit(): void {
  flushAll()
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
  process.on('exit', onExit)
  process.on('beforeExit', onBeforeExit)
  for (const s of SIGNALS) process.on(s, onSignal)
}

function uninstall(): void {
  process.off('exit', onExit)
  process.off('beforeExit', onBeforeExit)
  for (const s of SIGNALS) process.off(s, onSignal)
}

export function registerExitHooks(shipper: Shipper): void {
  if (live.size === 0) install()
  live.add(shipper)
}

export function unregisterExitHooks(shipper: Shipper): void {
  if (!live.delete(shipper)) return
  if (live.size === 0) uninstall()
}
