import type { Config } from './schema.js'
import { maxRecordBytes } from '../tail/limits.js'

/** Room a document needs besides its message (path, fields, ECS keys). */
const DOCUMENT_OVERHEAD = 64 * 1024

/** Checks that span several keys (the schema checks each key alone). */
export function checkConfig(config: Config): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = []
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
