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

function flushAll(): void {
  for (const shipper of live) {
    const left = shipper.flushSync(shipper.options.closeTimeoutMs)
    if (left > 0) process.stderr.write(`logship: ${left} events were not acknowledged within closeTimeoutMs (${shipper.options.closeTimeoutMs} ms) at exit\n`)
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

function install(): void {
  process.on('exit', onExit)
  process.on('beforeExit', onExit)
  for (const s of SIGNALS) process.on(s, onSignal)
}

function uninstall(): void {
  process.off('exit', onExit)
  process.off('beforeExit', onExit)
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
