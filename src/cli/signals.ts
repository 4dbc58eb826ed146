/**
 * SIGTERM/SIGINT: `stop` once (a second signal exits at once with 130, saying `unacknowledged`:
 * what becomes of the lines not acknowledged); SIGHUP: `reopen`; SIGUSR2: `dump` (stats as JSON
 * on stderr). Returns a function removing the handlers.
 */
export function handleSignals(handlers: { stop: (signal: NodeJS.Signals) => void; reopen?: () => void; dump?: () => void; unacknowledged?: () => string }): () => void {
  let stopping = false
  const onStop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.stderr.write(`logship: second ${signal}, exiting now: ${handlers.unacknowledged?.() ?? 'unacknowledged lines are read again at the next start'}\n`)
      process.exit(130)
    }
    stopping = true
    handlers.stop(signal)
  }
  const onHup = (): void => handlers.reopen?.()
  const onUsr1 = (): void => handlers.dump?.()
  process.on('SIGTERM', onStop)
  process.on('SIGINT', onStop)
  process.on('SIGHUP', onHup)
  process.on('SIGUSR2', onUsr1)
  return () => {
    process.off('SIGTERM', onStop)
    process.off('SIGINT', onStop)
    process.off('SIGHUP', onHup)
    process.off('SIGUSR2', onUsr1)
  }
}
