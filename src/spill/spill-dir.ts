import { closeSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync, accessSync, constants } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { LogshipError, describeError } from '../errors.js'
import { checkStateDirSync, openExistingSync, readStateFileSync } from '../fs/safe-file.js'

/**
 * The files of a spill directory:
 *   lock                  who uses the directory (one process at a time): pid, its start time, host
 *   cursor                "<position> <record number>": how far records are acknowledged
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
  const segments: SegmentFile[] = []
  for (const name of readdirSync(dir)) {
    const m = SEGMENT.exec(name)
    if (!m) continue
    const path = join(dir, m[0])
    try {
      segments.push({ start: Number(m[1]), path, size: lstatSync(path).size })
    } catch {
      // deleted between readdir and stat (the reader deletes acknowledged segments)
    }
  }
  return segments.sort((a, b) => a.start - b.start)
}

/** Creates the directory (0700) or checks it is usable; fails with a clear message. */
export function prepareDir(dir: string, perms: { strictPerms?: boolean | undefined; warn?: ((message: string) => void) | undefined } = {}): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK)
  } catch (err) {
    throw new LogshipError('LOGSHIP_ERR_CONFIG', `queue.spill.dir ${dir} cannot be used: ${describeError(err)}; point it at a directory this process can create and write`, {
      cause: err,
    })
  }
  checkStateDirSync(dir, { what: 'queue.spill.dir', ...perms })
}

/** Makes the directory's entries (a created segment, a renamed cursor) survive a power cut. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Creates `path` (it must not exist yet), owner-only. The one place a spill control file is created. */
function createExclusive(path: string): number {
  return openSync(path, 'wx', 0o600)
}

/** Writes all of `text` to a new file at `path` (it must not exist), fsyncs it and closes it; on failure removes it. */
function writeNewFile(path: string, text: string): void {
  const fd = createExclusive(path)
  try {
    const bytes = Buffer.from(text)
    let done = 0
    while (done < bytes.length) {
      const n = writeSync(fd, bytes, done, bytes.length - done)
      if (n <= 0) throw new Error(`short write to ${path}`)
      done += n
    }
    fsyncSync(fd)
  } catch (err) {
    closeSync(fd)
    rmSync(path, { force: true })
    throw err
  }
  closeSync(fd)
}

// ---- the lock ----------------------------------------------------------------------------

interface LockHolder {
  readonly pid: number
  /** The holder's start time (Linux: clock ticks after boot, from /proc/<pid>/stat); '' elsewhere. */
  readonly started: string
  readonly host: string
}

/** When `pid` started (to tell it from a later process that got the same pid), or '' when unknown. */
export function processStartTime(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // the command name (field 2) may hold spaces and parentheses: count fields after its last ')'
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? ''
  } catch {
    return ''
  }
}

function parseLock(text: string): LockHolder | undefined {
  const line = text.trim()
  if (/^\d+$/.test(line)) return { pid: Number(line), started: '', host: '' } // written by logship 0.1
  try {
    const v = JSON.parse(line) as Partial<LockHolder>
    if (typeof v.pid === 'number' && Number.isInteger(v.pid) && v.pid > 0) return { pid: v.pid, started: String(v.started ?? ''), host: String(v.host ?? '') }
  } catch {
    // not a lock logship wrote (or torn by a crash while it was written): stale
  }
  return undefined
}

/** The process that wrote this lock still runs (same pid, same start time, this host). */
function holderAlive(holder: LockHolder): boolean {
  if (holder.host && holder.host !== hostname()) return true // another machine (shared disk): cannot tell, assume it runs
  try {
    process.kill(holder.pid, 0)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  if (!holder.started) return true
  const now = processStartTime(holder.pid)
  return now === '' || now === holder.started // a different start time: the pid was recycled
}

function readLock(path: string): string | undefined {
  try {
    return readStateFileSync(path, 'the spill lock')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

/**
 * Takes the directory's lock, or throws naming the process that holds it. The lock file is
 * written in full to a private temp file and then linked into place: link(2) fails if the
 * lock exists, so exactly one process wins and no one ever sees a half-written lock. A lock
 * whose holder is gone (or whose pid now belongs to another process) is stale: it is moved
 * aside by rename(2), which only one of several contenders can do to the same file, and the
 * contender checks that what it moved is still the stale lock it judged.
 */
export function lockDir(dir: string): () => void {
  const path = join(dir, 'lock')
  const me: LockHolder = { pid: process.pid, started: processStartTime(process.pid), host: hostname() }
  // the token tells this lock from another shipper's of the same process
  const text = `${JSON.stringify({ ...me, token: Math.random().toString(36).slice(2) })}\n`
  const tmp = join(dir, `lock.${process.pid}.${Math.random().toString(36).slice(2)}`)
  try {
    writeNewFile(tmp, text)
  } catch (err) {
    throw new LogshipError('LOGSHIP_ERR_CONFIG', `cannot lock spill dir ${dir}: ${describeError(err)}; free disk space or fix its permissions`, { cause: err })
  }
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        linkSync(tmp, path)
        fsyncDir(dir)
        return () => {
          if (readLock(path) === text) rmSync(path, { force: true })
        }
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new LogshipError('LOGSHIP_ERR_CONFIG', `cannot lock spill dir ${dir}: ${describeError(err)}`, { cause: err })
      }
      const seen = readLock(path)
      if (seen === undefined) continue // released meanwhile
      const holder = parseLock(seen)
      if (holder && holder.pid !== process.pid && holderAlive(holder)) {
        throw new LogshipError(
          'LOGSHIP_ERR_CONFIG',
          `spill dir ${dir} is in use by process ${holder.pid}${holder.host && holder.host !== me.host ? ` on ${holder.host}` : ''}; give each process its own queue.spill.dir`,
        )
      }
      if (holder?.pid === process.pid && holder.started === me.started && seen !== text) {
        throw new LogshipError('LOGSHIP_ERR_CONFIG', `spill dir ${dir} is already used by another shipper in this process; give each shipper its own queue.spill.dir`)
      }
      breakStaleLock(dir, path, seen)
    }
    throw new LogshipError('LOGSHIP_ERR_CONFIG', `cannot lock spill dir ${dir}: other processes keep taking and dropping its lock; give each process its own queue.spill.dir`)
  } finally {
    rmSync(tmp, { force: true })
  }
}

/**
 * Removes the lock at `path` if it still is `stale` (the text its holder judged stale). A
 * contender whose view is outdated (another process took the lock meanwhile) must not remove
 * the fresh lock: it moves the file aside atomically, and puts it back if it was not `stale`.
 */
export function breakStaleLock(dir: string, path: string, stale: string): void {
  const aside = join(dir, `lock.stale.${process.pid}.${Math.random().toString(36).slice(2)}`)
  try {
    renameSync(path, aside)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return // another contender moved it first
    throw new LogshipError('LOGSHIP_ERR_CONFIG', `cannot remove the stale lock of spill dir ${dir}: ${describeError(err)}`, { cause: err })
  }
  const moved = readLock(aside)
  if (moved !== stale) {
    // A contender replaced the stale lock with its own fresh one before our rename: put it back.
    try {
      linkSync(aside, path)
    } catch {
      // someone holds the lock again: the next attempt sees it
    }
  }
  rmSync(aside, { force: true })
}

// ---- the cursor --------------------------------------------------------------------------

export interface Cursor {
  /** Global position up to which records are acknowledged. */
  readonly position: number
  /** Number of the first record after `position`; undefined when not known (no cursor yet). */
  readonly number: number | undefined
}

export function readCursor(dir: string): Cursor {
  let text: string
  try {
    text = readStateFileSync(join(dir, 'cursor'), 'the spill cursor')
  } catch {
    return { position: 0, number: undefined }
  }
  const [position, number] = text.trim().split(/\s+/).map(Number)
  const valid = (v: number | undefined): v is number => v !== undefined && Number.isSafeInteger(v) && v >= 0
  return { position: valid(position) ? position : 0, number: valid(position) && valid(number) ? number : undefined }
}

/** The cursor file is always this long (padded), so rewriting it in place never needs a new disk block. */
const CURSOR_BYTES = 48

/**
 * Atomic: write a temp file, fsync it, rename it over the cursor, fsync the directory. On a
 * full disk (where even a temp file cannot be written) the cursor is rewritten in place
 * instead: it has a fixed size, so that needs no space, and acknowledged segments can then
 * be deleted, which is how space comes back.
 */
export function writeCursor(dir: string, cursor: { position: number; number: number }): void {
  const path = join(dir, 'cursor')
  const text = `${cursor.position} ${cursor.number}`.padEnd(CURSOR_BYTES - 1, ' ') + '\n'
  const tmp = join(dir, 'cursor.tmp')
  try {
    rmSync(tmp, { force: true }) // left by a crash between write and rename
    writeNewFile(tmp, text)
    renameSync(tmp, path)
    fsyncDir(dir)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code !== 'ENOSPC' && code !== 'EDQUOT') throw err
    rewriteInPlace(path, text)
  }
}

/** Overwrites the existing (same-sized) file at `path` with `text`, and fsyncs it. */
function rewriteInPlace(path: string, text: string): void {
  const fd = openExistingSync(path, 'r+', { what: 'spill cursor', strictPerms: false })
  try {
    const bytes = Buffer.from(text)
    let done = 0
    while (done < bytes.length) {
      const n = writeSync(fd, bytes, done, bytes.length - done, done)
      if (n <= 0) throw new Error(`short write to ${path}`)
      done += n
    }
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Whether the directory has a cursor file yet. */
export function hasCursor(dir: string): boolean {
  try {
    statSync(join(dir, 'cursor'))
    return true
  } catch {
    return false
  }
}
