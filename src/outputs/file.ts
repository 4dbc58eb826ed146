import type { FileOutputOptions } from './file-options.js'
import type { FileHandle } from 'node:fs/promises'
import { openAppend } from '../fs/safe-file.js'
import type { Batch, Output, SendResult } from './output.js'
import { ndjsonOf } from './ndjson.js'
import { writeAll } from './write-all.js'
import { outputError, describeError } from '../errors.js'

export type { FileOutputOptions } from './file-options.js'

export function createFileOutput(options: FileOutputOptions): Output {
  const name = `file(${options.path})`
  let handle: Promise<FileHandle> | undefined
  const opened = (): Promise<FileHandle> => {
    handle ??= openAppend(options.path, { what: 'the output file', strictPerms: options.strictPerms })
    handle.catch(() => {
      handle = undefined
    })
    return handle
  }
  return {
    name,
    maxInFlight: 1,
    async send(batch: Batch): Promise<SendResult> {
      let fh: FileHandle
      try {
        fh = await opened()
      } catch (err) {
        return {
          status: 'retryable',
          error: outputError(
            name,
            `cannot open the file: ${describeError(err)}${/symbolic link|regular file|owned by uid/.test(describeError(err)) ? '' : '; check the directory exists and is writable'}`,
            err,
          ),
        }
      }
      return writeAll(name, fh.fd, ndjsonOf(batch))
    },
    async close() {
      if (handle) await (await handle.catch(() => undefined))?.close()
    },
  }
}
