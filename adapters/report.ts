import { writeSync } from 'node:fs'
import type { Shipper } from '../src/shipper/shipper.js'

/**
 * logship's own messages from an adapter go straight to file descriptor 2: synchronous (so
 * they are not lost when the process or pino's worker exits right after) and around any
 * wrapper the app (or wrapStdout) put on process.stderr, so they can never loop back in.
 */
function writeStderr(text: string): void {
  try {
    writeSync(2, text.endsWith('\n') ? text : `${text}\n`)
  } catch {
    // stderr closed: nowhere left to say it
  }
}

/**
 * Shipper errors as stderr lines, at most one every 10 s (a down sink fails every retry);
 * what shutdown dropped is always said (once, by the shipper).
 */
export function reportErrors(shipper: Shipper, prefix: string): void {
  let last = 0
  shipper.on('error', (error) => {
    const now = Date.now()
    if (error.code !== 'LOGSHIP_ERR_SHUTDOWN' && now - last < 10_000) return
    last = now
    writeStderr(`${prefix}: ${error.message} [${error.code}]`)
  })
}

/**
 * Closes the shipper; returns how many events were dropped at shutdown (the shipper's
 * LOGSHIP_ERR_SHUTDOWN error, printed by reportErrors, has already said so: one line).
 */
export async function closeAndReport(shipper: Shipper, _prefix: string): Promise<number> {
  await shipper.close()
  return shipper.stats().droppedByReason.shutdown
}
