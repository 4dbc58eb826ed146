import { closeSync, constants, fstatSync, openSync, readFileSync, statSync, type Stats } from 'node:fs'
import { open, rename, stat, type FileHandle } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { LogshipError } from '../errors.js'
import { lazyRequire } from '../util/lazy-require.js'

const crypto = lazyRequire<typeof import('node:crypto')>('node:crypto')

/**
 * Every file logship writes (registry, spill segments and cursor, dead letters, the file
 * output) is opened here, so that a symbolic link or a file planted by another user in a
 * directory logship writes to cannot make it overwrite, truncate or append to another file.
 *
 * - temp files get a random name and are created with O_EXCL|O_NOFOLLOW: a planted name or
 *   link makes the open fail instead of writing through it;
 * - appends and rewrites open with O_NOFOLLOW and are checked (fstat on the open descriptor,
 *   so there is no window between check and use) to be regular files owned by this user;
 * - state directories are checked to be owned by this user (or root) and not writable by
 *   group or others; `strictPerms: false` turns a refusal into a warning (as Beats' strict.perms).
 */

/** 0 where the platform has no O_NOFOLLOW (Windows): links there need admin rights anyway. */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0
/**
 * Without it, opening a FIFO planted at the path waits for a reader forever (a libuv thread,
 * or the whole thread for a sync open, and every shutdown that waits on it). With it the open
 * of a FIFO fails (ENXIO) or returns at once and the fstat check refuses it. No effect on
 * regular files.
 */
const NONBLOCK = constants.O_NONBLOCK ?? 0
const APPEND_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | NOFOLLOW | NONBLOCK
const TEMP_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW

export interface SafeOpenOptions {
  /** What the file is, for messages: `the dead-letter file`, `spill segment`. */
  readonly what: string
  /** false: a file owned by another user is accepted (links and non-regular files never are). @default true */
  readonly strictPerms?: boolean | undefined
}

/** The uid files and directories must belong to; undefined where there are no uids (Windows). */
function ownUid(): number | undefined {
  return process.getuid?.()
}

function unsafe(message: string, cause?: unknown): LogshipError {
  return new LogshipError('LOGSHIP_ERR_CONFIG', message, cause === undefined ? undefined : { cause })
}

/** Explains an open error caused by a link (ELOOP from O_NOFOLLOW) or a planted name (EEXIST from O_EXCL). */
function openFailure(err: unknown, path: string, what: string): Error {
  const code = (err as NodeJS.ErrnoException).code
  if (code === 'ELOOP' || code === 'EMLINK') {
    return unsafe(
      `${what} ${path} is a symbolic link; logship never writes through links (one planted there could make it overwrite another file): remove the link, or point the setting at the real path`,
      err,
    )
  }
  if (code === 'ENXIO') {
    // O_NONBLOCK on a FIFO (or socket, device) nobody reads: never a regular file
    return unsafe(`${what} ${path} is not a regular file (a FIFO or device, ENXIO); logship only writes to regular files: remove it or choose another path`, err)
  }
  return err as Error
}

/** Why an opened file (its fstat) must not be written, or undefined when it may. */
export function fileProblem(st: Stats, strictPerms = true, uid = ownUid()): string | undefined {
  if (!st.isFile()) return 'is not a regular file; logship only writes to regular files: remove it or choose another path'
  if (uid !== undefined && st.uid !== uid && strictPerms) {
    return `is owned by uid ${st.uid}, not by this process's user (uid ${uid}); logship does not write to other users' files: remove it, change its owner, or set strictPerms: false`
  }
  return undefined
}

/** Throws unless `st` (of an open descriptor) is a regular file owned by this user. */
function checkOpened(st: Stats, path: string, options: SafeOpenOptions): void {
  const problem = fileProblem(st, options.strictPerms !== false)
  if (problem) throw unsafe(`${options.what} ${path} ${problem}`)
}

/** Opens `path` for appending (created 0600), refusing links, non-regular files and other users' files. Returns the fd. */
export function openAppendSync(path: string, options: SafeOpenOptions): number {
  return openCheckedSync(path, APPEND_FLAGS, options)
}

/** An existing file opened for reading (`r`) or rewriting in place (`r+`), with the same checks as appends. */
export function openExistingSync(path: string, mode: 'r' | 'r+', options: SafeOpenOptions): number {
  return openCheckedSync(path, (mode === 'r' ? constants.O_RDONLY : constants.O_RDWR) | NOFOLLOW | NONBLOCK, options)
}

function openCheckedSync(path: string, flags: number, options: SafeOpenOptions): number {
  let fd: number
  try {
    fd = openSync(path, flags, 0o600)
  } catch (err) {
    throw openFailure(err, path, options.what)
  }
  try {
    checkOpened(fstatSync(fd), path, options)
  } catch (err) {
    closeSync(fd)
    throw err
  }
  return fd
}

/** Async `openAppendSync`. */
export async function openAppend(path: string, options: SafeOpenOptions): Promise<FileHandle> {
  let fh: FileHandle
  try {
    fh = await open(path, APPEND_FLAGS, 0o600)
  } catch (err) {
    throw openFailure(err, path, options.what)
  }
  try {
    checkOpened(await fh.stat(), path, options)
  } catch (err) {
    await fh.close()
    throw err
  }
  return fh
}

const STATE_READ_FLAGS = constants.O_RDONLY | NOFOLLOW | NONBLOCK

/**
 * A state file's text (registry, lock, spill cursor): never read through a link (whose target
 * could be any file this user can read), nor from a FIFO or device (a FIFO nobody writes to
 * would hold the read, and logship's start, forever). ENOENT passes through.
 */
export async function readStateFile(path: string, what: string): Promise<string> {
  let fh: FileHandle
  try {
    fh = await open(path, STATE_READ_FLAGS)
  } catch (err) {
    throw openFailure(err, path, what)
  }
  try {
    refuseSpecialFile(await fh.stat(), path, what)
    return await fh.readFile('utf8')
  } finally {
    await fh.close()
  }
}

/** Throws for a FIFO, socket or device (a directory fails the read with EISDIR, which callers explain). */
function refuseSpecialFile(st: Stats, path: string, what: string): void {
  if (!st.isFile() && !st.isDirectory()) throw unsafe(`${what} ${path} is not a regular file; remove it (logship writes it again)`)
}

/** `readStateFile`, synchronous. */
export function readStateFileSync(path: string, what: string): string {
  let fd: number
  try {
    fd = openSync(path, STATE_READ_FLAGS)
  } catch (err) {
    throw openFailure(err, path, what)
  }
  try {
    refuseSpecialFile(fstatSync(fd), path, what)
    return readFileSync(fd, 'utf8')
  } finally {
    closeSync(fd)
  }
}

/** `.<name>.tmp-<random>` next to `target`: unguessable, so nobody can plant it in advance. */
function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.tmp-${crypto().randomBytes(8).toString('hex')}`)
}

/**
 * Replaces `path` atomically: a fresh temp file (O_EXCL|O_NOFOLLOW, 0600), fsync, rename over
 * the target (a link at the target is replaced, never followed), fsync of the directory.
 */
export async function writeFileAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const temp = tempPathFor(path)
  const fh = await open(temp, TEMP_FLAGS, 0o600)
  try {
    await fh.writeFile(data)
    await fh.sync()
  } finally {
    await fh.close()
  }
  await rename(temp, path)
  try {
    const dir = await open(dirname(path), 'r')
    try {
      await dir.sync()
    } finally {
      await dir.close()
    }
  } catch {
    // Some filesystems refuse fsync on directories; the rename itself is still atomic.
  }
}

export interface DirCheckOptions {
  /** What the directory holds, for messages: `queue.spill.dir`, `the registry directory`. */
  readonly what: string
  /** false: problems are warned about (through `warn`) instead of refused. @default true */
  readonly strictPerms?: boolean | undefined
  readonly warn?: ((message: string) => void) | undefined
}

/** Why `st` (a directory) is unsafe to keep state in, or undefined when it is fine. */
export function dirProblem(st: Stats, uid = ownUid()): string | undefined {
  if (uid === undefined) return undefined
  if (st.uid !== uid && st.uid !== 0) return `is owned by uid ${st.uid}, not by this process's user (uid ${uid}) or root`
  if (st.mode & 0o002) return `is writable by every user (mode ${(st.mode & 0o7777).toString(8)})`
  if (st.mode & 0o020) return `is writable by its group (mode ${(st.mode & 0o7777).toString(8)})`
  return undefined
}

function dirVerdict(dir: string, st: Stats, options: DirCheckOptions): void {
  if (!st.isDirectory()) throw unsafe(`${options.what} ${dir} is not a directory`)
  const problem = dirProblem(st)
  if (!problem) return
  const why = `${options.what} ${dir} ${problem}: another user could plant links or files there to make logship overwrite, truncate or read other files`
  if (options.strictPerms === false) options.warn?.(`${why}; using it anyway (strictPerms: false)`)
  else throw unsafe(`${why}; use a directory only this user can write (chmod 700 ${dir}), or set strictPerms: false to accept it`)
}

/** Refuses (or, with strictPerms: false, warns about) a state directory others could write to. */
export function checkStateDirSync(dir: string, options: DirCheckOptions): void {
  dirVerdict(dir, statSync(dir), options)
}

export async function checkStateDir(dir: string, options: DirCheckOptions): Promise<void> {
  dirVerdict(dir, await stat(dir), options)
}
