import { writeSync } from 'node:fs'
import type { Shipper } from '../src/shipper/shipper.js'

/**
 * logship's own messages from an adapter go straight to file descriptor 2: synchronous (so
 * they are not lost when the process or pino's worker exits right after) and around any
 * wrapper the app (or wrapStdout) put on process.stderr, so they can never loop back in.
 */
export function writeStderr(text: string): void {
  try {
    writeSync(2, text.endsWith('\n') ? text : `${text}\n`)
  } catch {
    // stderr closed: nowhere left to say it
  }
}

/** Shipper errors as stderr lines, at most one every 10 s (a down sink fails every retry). */
export function reportErrors(shipper: Shipper, prefix: string): void {
  let last = 0
  shipper.on('error', (error) => {
    const now = Date.now()
    if (now - last < 10_000) return
    last = now
    writeStderr(`${prefix}: ${error.message} [${error.code}]`)
  })
}

/** Closes the shipper; when events were still unacknowledged at the deadline, says how many. */
export async function closeAndReport(shipper: Shipper, prefix: string): Promise<number> {
  await shipper.close()
  const left = shipper.stats().droppedByReason.shutdown
  if (left > 0) writeStderr(`${prefix}: ${left} events were not acknowledged within closeTimeoutMs (${shipper.options.closeTimeoutMs} ms) and were dropped (counted as shutdown)`)
  return left
}
