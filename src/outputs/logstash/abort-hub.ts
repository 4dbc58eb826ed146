type Callback = () => void

const hubs = new WeakMap<AbortSignal, Set<Callback>>()

/**
 * Runs `callback` once when `signal` aborts; returns the function that cancels that. Many
 * batches and waiters share the engine's one signal: one listener per signal dispatches to
 * all of them, instead of one listener each (which Node warns about past 10).
 */
export function onAbort(signal: AbortSignal, callback: Callback): () => void {
  let callbacks = hubs.get(signal)
  if (!callbacks) {
    const set = new Set<Callback>()
    callbacks = set
    hubs.set(signal, set)
    signal.addEventListener(
      'abort',
      () => {
        hubs.delete(signal)
        for (const cb of set) cb()
      },
      { once: true },
    )
  }
  callbacks.add(callback)
  return () => callbacks.delete(callback)
}
