import { readFileSync } from 'node:fs'

/** Soft limit assumed where it cannot be read (systemd's default for services). */
const FALLBACK_NOFILE = 1024

/** The last limit read: once descriptors run out, reading it again needs one. */
let lastRead: number | undefined

/** The soft RLIMIT_NOFILE of this process (`ulimit -n`), read from /proc on Linux; undefined where it cannot be read. */
export function readSoftNofileLimit(): number | undefined {
  try {
    const m = /^Max open files\s+(\d+|unlimited)\s+/m.exec(readFileSync('/proc/self/limits', 'utf8'))
    if (m) lastRead = m[1] === 'unlimited' ? 1_048_576 : Number(m[1])
  } catch {
    // not Linux, /proc is not mounted, or no descriptor left to read it with
  }
  return lastRead
}

/** The soft RLIMIT_NOFILE of this process, or systemd's default where it cannot be read. */
export function softNofileLimit(): number {
  return readSoftNofileLimit() ?? FALLBACK_NOFILE
}

/**
 * For an error caused by running out of file descriptors (EMFILE, ENFILE; Node's own module
 * loader names them only in the message): '; ' and what to raise, else ''. Appended to the
 * message of an error that stops logship, which otherwise names only the file it failed to open.
 */
export function descriptorAdvice(err: unknown): string {
  const code = (err as { code?: unknown } | undefined)?.code
  const text = err instanceof Error ? err.message : String(err)
  if (code === 'EMFILE' || /\bEMFILE\b/.test(text)) {
    const limit = readSoftNofileLimit()
    return `; this process ran out of file descriptors (${limit === undefined ? 'ulimit -n' : `its limit, ulimit -n, is ${limit}`}): raise it, with ulimit -n 4096 in the shell or LimitNOFILE=65536 in a systemd unit`
  }
  if (code === 'ENFILE' || /\bENFILE\b/.test(text)) return "; the system's open-file table is full: close other programs' files or raise fs.file-max"
  return ''
}
