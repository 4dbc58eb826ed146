import type { Config } from './schema.js'

/** JSON escaping can make a line up to 6 times longer (`\u0001`); documents add paths and fields. */
const WORST_EXPANSION = 6
const DOCUMENT_OVERHEAD = 64 * 1024

/** Checks that span several keys (the schema checks each key alone). `raw` is the config as written. */
export function checkConfig(config: Config, raw: Record<string, unknown>): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = []
  const whenFull = (raw.queue as Record<string, unknown> | undefined)?.whenFull
  if (whenFull !== undefined && whenFull !== 'block') {
    problems.push({ path: ['queue', 'whenFull'], message: `got ${JSON.stringify(whenFull)}; tail mode always blocks (the file is the buffer, nothing is dropped): remove it or write block` })
  }
  const maxRecord = Math.floor(config.queue.maxBytes / 2) - DOCUMENT_OVERHEAD
  config.inputs.forEach((input, i) => {
    if (input.maxLineBytes * WORST_EXPANSION > maxRecord) {
      const most = Math.max(0, Math.floor(maxRecord / WORST_EXPANSION))
      problems.push({
        path: ['inputs', i, 'maxLineBytes'],
        message: `got ${input.maxLineBytes}; expected at most ${most} bytes with queue.maxBytes ${config.queue.maxBytes} (an event must fit in half the queue); lower maxLineBytes or raise queue.maxBytes`,
      })
    }
  })
  if (config.inputs.filter((i) => i.type === 'stdin').length > 1) {
    problems.push({ path: ['inputs'], message: 'expected at most one stdin input' })
  }
  return problems
}
