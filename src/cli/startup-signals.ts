/** The signals `run` and `pipe` handle (signals.ts), held while they start. */
const HELD: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGUSR2']

export interface HeldSignals {
  /** Call once the real handlers are installed: they get every signal that arrived meanwhile, in order. */
  handOver(): void
}

/**
 * Holds the signals that arrive while `run` or `pipe` starts (config, registry, worker). Until a
 * handler is installed Node applies the default action, which ends the process: a SIGHUP from a
 * logrotate postrotate or `systemctl reload` killed logship, and SIGTERM ended it without a
 * word, leaving the registry lock behind. A held SIGTERM stops logship as soon as it is up.
 */
export function holdSignals(): HeldSignals {
  const arrived: NodeJS.Signals[] = []
  const hold = (signal: NodeJS.Signals): void => {
    // two of a kind are kept (a second SIGTERM means "exit now"); more add nothing
    if (arrived.filter((s) => s === signal).length < 2) arrived.push(signal)
  }
  for (const signal of HELD) process.on(signal, hold)
  return {
    handOver() {
      for (const signal of HELD) process.off(signal, hold)
      for (const signal of arrived.splice(0)) process.emit(signal, signal)
    },
  }
}
