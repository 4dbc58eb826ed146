import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync, accessSync, constants } from 'node:fs'
import { join } from 'node:path'
import { LogshipError, describeError } from '../errors.js'
import { checkStateDirSync, writeFileAtomicallySync } from '../fs/safe-file.js'

/**
 * The files of a spill directory:
 *   lock                  pid of the process using the directory (one at a time)
 *   cursor                global byte position up to which records are acknowledged
 *   <start>.seg           segments, named by the global position of their first byte
 * Positions are global byte offsets over all segments ever written in this directory, so
 * a position names a segment and an offset at once.
 */
export interface SegmentFile {
  readonly start: number
  readonly path: string
  readonly size: number
}

const SEGMENT = /^(\d{16})\.seg$/

export function segmentName(start: number): string {
  return `${String(start).padStart(16, '0')}.seg`
}

export function listSegments(dir: string): SegmentFile[] {
  return readdirSync(dir)
    .map((name) => SEGMENT.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => {
      const path = join(dir, m[0])
      return { start: Number(m[1]), path, size: lstatSync(path).size }
    })
    .sort((a, b) => a.start - b.start)
}

/** Creates the directory (0700) or checks it is usable; fails with a clear message. */
export function prepareDir(dir: string, perms: { strictPerms?: boolean | undefined; warn?: ((message: string) => void) | undefined } = {}): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK)
  } catch (err) {
    throw new LogshipError('LOGSHIP_ERR_CONFIG', `queue.spill.dir ${dir} cannot be used: ${describeError(err)}; point it at a directory this process can create and write`, { cause: err })
  }
  checkStateDirSync(dir, { what: 'queue.spill.dir', ...perms })
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Takes the directory's lock, or throws naming the process that holds it. */
export function lockDir(dir: string): () => void {
  const path = join(dir, 'lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600)
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return () => rmSync(path, { force: true })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new LogshipError('LOGSHIP_ERR_CONFIG', `cannot lock spill dir ${dir}: ${describeError(err)}`, { cause: err })
      const holder = Number(readFileSync(path, 'utf8').trim())
      if (holder && holder !== process.pid && alive(holder)) {
        throw new LogshipError('LOGSHIP_ERR_CONFIG', `spill dir ${dir} is in use by process ${holder}; give each process its own queue.spill.dir`)
      }
      rmSync(path, { force: true }) // stale lock of a process that is gone
    }
  }
  throw new LogshipError('LOGSHIP_ERR_CONFIG', `cannot lock spill dir ${dir}`)
}

export function readCursor(dir: string): number {
  try {
    const value = Number(readFileSync(join(dir, 'cursor'), 'utf8').trim())
    return Number.isFinite(value) && value >= 0 ? value : 0
  } catch {
    return 0
  }
}

/** Atomic: write a fresh temp file (random name, never through a link), fsync it, rename it over the cursor. */
export function writeCursor(dir: string, position: number): void {
  writeFileAtomicallySync(join(dir, 'cursor'), String(position))
}
