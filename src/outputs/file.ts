import type { FileOutputOptions } from './file-options.js'
import type { FileHandle } from 'node:fs/promises'
import { stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { openAppend } from '../fs/safe-file.js'
import type { Batch, Output, SendResult } from './output.js'
import { ndjsonOf } from './ndjson.js'
import { writeAll } from './write-all.js'
import { outputError, describeError } from '../errors.js'

export type { FileOutputOptions } from './file-options.js'

/** The open file and which file it is (to notice it being deleted or renamed away). */
interface OpenFile {
  readonly fh: FileHandle
  readonly dev: number
  readonly ino: number
}

export function createFileOutput(options: FileOutputOptions): Output {
  const name = `file(${options.path})`
  let current: Promise<OpenFile> | undefined

  const open = async (): Promise<OpenFile> => {
    const fh = await openAppend(options.path, { what: 'the output file', strictPerms: options.strictPerms })
    const st = await fh.stat()
    return { fh, dev: st.dev, ino: st.ino }
  }

  /**
   * The file to append to. Before each batch the path is checked to still name the open file:
   * one deleted or renamed away (logrotate without copytruncate) would otherwise swallow every
   * later event (an unlinked inode) or keep filling the rotated file; it is closed and the path
   * opened again (created when missing).
   */
  const opened = async (): Promise<FileHandle> => {
    if (current) {
      const file = await current.catch(() => undefined)
      if (file && (await stillAtPath(options.path, file))) return file.fh
      current = undefined
      await file?.fh.close().catch(() => {})
    }
    current = open()
    current.catch(() => {
      current = undefined
    })
    return (await current).fh
  }

  return {
    name,
    maxInFlight: 1,
    async send(batch: Batch): Promise<SendResult> {
      let fh: FileHandle
      try {
        fh = await opened()
      } catch (err) {
        // a missing directory is a setting to fix, not an outage to wait out (logship creates the file, never directories)
        const status = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'fatal' : 'retryable'
        return { status, error: outputError(name, `cannot open the file: ${openAdvice(err, options.path)}`, err) }
      }
      return appendWhole(name, fh, ndjsonOf(batch))
    },
    async close() {
      if (current) await (await current.catch(() => undefined))?.fh.close()
    },
  }
}

/**
 * Appends `data`, all or nothing: a write that fails part way (the disk fills in the middle of
 * a line) is cut off again, so the retry of the batch leaves neither a torn line nor copies of
 * the lines before it.
 */
async function appendWhole(name: string, fh: FileHandle, data: Uint8Array): Promise<SendResult> {
  let before: number
  try {
    before = (await fh.stat()).size
  } catch (err) {
    return { status: 'retryable', error: outputError(name, `cannot stat the file: ${describeError(err)}`, err) }
  }
  const result = await writeAll(name, fh.fd, data)
  if (result.status !== 'retryable' && result.status !== 'fatal') return result
  try {
    await fh.truncate(before)
    return result
  } catch (err) {
    const error = outputError(
      name,
      `${result.error.message}; the part of the batch already written could not be cut off (${describeError(err)}), so the file may hold a torn line and the retry copies of some events`,
      err,
    )
    return { ...result, error }
  }
}

async function stillAtPath(path: string, file: OpenFile): Promise<boolean> {
  try {
    const st = await stat(path)
    return st.ino === file.ino && st.dev === file.dev
  } catch {
    return false // gone (or unreachable): open again, which says why if it fails
  }
}

/** The open error, with what to do about it. */
function openAdvice(err: unknown, path: string): string {
  const text = describeError(err)
  if ((err as NodeJS.ErrnoException).code === 'EISDIR') {
    return `${path} is a directory: set output.path to a file in it, such as ${join(path, 'events.ndjson')}`
  }
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
    return `the directory ${dirname(path)} does not exist: create it, or set output.path to a file in a directory that does (logship creates the file, not directories)`
  }
  // the safe-open checks already say what is wrong and what to do
  if (/symbolic link|regular file|owned by uid/.test(text)) return text
  return `${text}; check the directory exists and is writable`
}
