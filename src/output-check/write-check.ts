import { createShipper } from '../shipper/shipper.js'
import type { OutputOptions } from '../outputs/registry.js'
import type { HostCheck } from './types.js'

/** The event `logship test output --write` sends. */
function testEvent(now = new Date()): Record<string, unknown> {
  return {
    '@timestamp': now.toISOString(),
    message: 'logship test event (sent by `logship test output --write`)',
    event: { kind: 'event', dataset: 'logship.test' },
  }
}

/**
 * Ships one test event through the real engine and output (no retries), and says whether
 * the output acknowledged it, or why not.
 */
export async function writeTestEvent(output: OutputOptions, timeoutMs: number): Promise<HostCheck> {
  const shipper = createShipper({ output, thread: 'main', handleExit: false, closeTimeoutMs: 0, batch: { flushMs: 0 }, retry: { maxRetries: 0, initialDelayMs: 0, maxDelayMs: 0 } })
  const problems: string[] = []
  shipper.on('error', (err) => problems.push(err.message))
  shipper.on('dead-letter', (d) => problems.push(d.reason))
  const where = shipper.outputName
  try {
    shipper.write(testEvent())
    let timer: NodeJS.Timeout | undefined
    const timedOut = await Promise.race([shipper.flush().then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs)))])
    clearTimeout(timer)
    const { acked } = shipper.stats()
    if (acked === 1) return { host: where, ok: true, message: `${where} stored the test event (message: "${testEvent().message}")` }
    if (timedOut) return { host: where, ok: false, message: `${where} did not acknowledge the test event within ${timeoutMs} ms` }
    return { host: where, ok: false, message: `${where} did not store the test event: ${[...new Set(problems)].join('; ') || 'no reason given'}` }
  } finally {
    await shipper.close()
  }
}
