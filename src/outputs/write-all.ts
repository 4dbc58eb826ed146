import { write } from 'node:fs'
import type { SendResult } from './output.js'
import { outputError, describeError } from '../errors.js'

const RETRY_LATER = new Set(['EAGAIN', 'EBUSY', 'ENOSPC', 'EINTR', 'EIO'])
/** Longest pause between tries while a pipe is full. */
const MAX_WAIT_MS = 100

/**
 * Writes all of `data` to `fd` (handling short writes); an I/O error becomes a SendResult.
 *
 * A full pipe or socket (EAGAIN: stdout in non-blocking mode, as Node puts a pipe once
 * `process.stdout` is used, with a slow reader such as `| jq`) is waited out, and the write
 * goes on where it stopped: what reached the pipe cannot be taken back, so failing the batch
 * would make its retry print a torn line and the lines before it twice. `signal` ends the
 * wait (shutdown).
 */
export function writeAll(name: string, fd: number, data: Uint8Array, signal?: AbortSignal): Promise<SendResult> {
  return new Promise((resolve) => {
    let at = 0
    let waitMs = 1
    const next = (): void => {
      write(fd, data, at, data.length - at, null, (err, written) => {
        if (err) {
          const code = (err as NodeJS.ErrnoException).code ?? ''
          if (code === 'EAGAIN' && !signal?.aborted) {
            setTimeout(next, waitMs)
            waitMs = Math.min(MAX_WAIT_MS, waitMs * 2)
            return
          }
          const partly = at > 0 ? ` after ${at} of ${data.length} bytes` : ''
          const error = outputError(name, `write failed${partly}: ${describeError(err)}`, err)
          resolve(RETRY_LATER.has(code) ? { status: 'retryable', error } : { status: 'fatal', error })
          return
        }
        at += written
        waitMs = 1
        if (at < data.length) next()
        else resolve({ status: 'delivered' })
      })
    }
    next()
  })
}
