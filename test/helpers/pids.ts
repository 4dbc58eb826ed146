import { readFileSync } from 'node:fs'

/** A process id no process has right now (for "a lock left by a dead process"). */
export function unusedPid(): number {
  const max = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8'))
  for (let pid = max - 1; pid > 1000; pid--) {
    try {
      process.kill(pid, 0)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return pid
    }
  }
  throw new Error('no unused pid found')
}
