import type { Config } from './schema.js'
import { maxRecordBytes } from '../tail/limits.js'

/** Room a document needs besides its message (path, fields, ECS keys). */
const DOCUMENT_OVERHEAD = 64 * 1024

/** Checks that span several keys (the schema checks each key alone). `raw` is the config as written. */
export function checkConfig(config: Config, raw: Record<string, unknown>): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = []
  const whenFull = (raw.queue as Record<string, unknown> | undefined)?.whenFull
  if (whenFull !== undefined && whenFull !== 'block') {
    problems.push({
      path: ['queue', 'whenFull'],
      message: `got ${JSON.stringify(whenFull)}; tail mode always blocks (the file is the buffer, nothing is dropped): remove it or write block`,
    })
  }
  const most = maxRecordBytes(config.queue.maxBytes) - DOCUMENT_OVERHEAD
  config.inputs.forEach((input, i) => {
    if (input.maxLineBytes > most) {
      problems.push({
        path: ['inputs', i, 'maxLineBytes'],
        message: `got ${input.maxLineBytes}; expected at most ${Math.max(0, most)} bytes with queue.maxBytes ${config.queue.maxBytes} (an event must fit in half the queue, with room for its other fields); lower maxLineBytes or raise queue.maxBytes`,
      })
    }
  })
  if (config.inputs.filter((i) => i.type === 'stdin').length > 1) {
    problems.push({ path: ['inputs'], message: 'expected at most one stdin input' })
  }
  return problems
}
