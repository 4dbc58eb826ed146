import { write } from 'node:fs'
import type { SendResult } from './output.js'
import { outputError, describeError } from '../errors.js'

const RETRY_LATER = new Set(['EAGAIN', 'EBUSY', 'ENOSPC', 'EINTR', 'EIO'])

/** Writes all of `data` to `fd` (handling short writes); an I/O error becomes a SendResult. */
export function writeAll(name: string, fd: number, data: Uint8Array): Promise<SendResult> {
  return new Promise((resolve) => {
    let at = 0
    const next = (): void => {
      write(fd, data, at, data.length - at, null, (err, written) => {
        if (err) {
          const code = (err as NodeJS.ErrnoException).code ?? ''
          const error = outputError(name, `write failed: ${describeError(err)}`, err)
          resolve(RETRY_LATER.has(code) ? { status: 'retryable', error } : { status: 'fatal', error })
          return
        }
        at += written
        if (at < data.length) next()
        else resolve({ status: 'delivered' })
      })
    }
    next()
  })
}
