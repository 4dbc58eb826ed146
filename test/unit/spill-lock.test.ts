import { describe, it, expect } from 'vitest'
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { breakStaleLock, lockDir, processStartTime } from '../../src/spill/spill-dir.js'
import { unusedPid } from '../helpers/pids.js'

const dir = (): string => mkdtempSync(join(tmpdir(), 'logship-lock-'))

const lockOf = (pid: number, started: string): string => `${JSON.stringify({ pid, started, host: hostname() })}\n`

describe('spill directory lock', () => {
  it('is taken when free, released on unlock, and leaves no temp files', () => {
    const d = dir()
    const unlock = lockDir(d)
    expect(JSON.parse(readFileSync(join(d, 'lock'), 'utf8'))).toMatchObject({ pid: process.pid, started: processStartTime(process.pid) })
    unlock()
    expect(readdirSync(d)).toEqual([])
  })

  it('refuses a directory whose lock holder runs, naming it', () => {
    const d = dir()
    writeFileSync(join(d, 'lock'), lockOf(process.ppid, processStartTime(process.ppid)))
    expect(() => lockDir(d)).toThrow(new RegExp(`spill dir .* is in use by process ${process.ppid}; give each process its own queue.spill.dir`))
    expect(readdirSync(d)).toEqual(['lock'])
  })

  it('takes over the lock of a process that is gone', () => {
    const d = dir()
    writeFileSync(join(d, 'lock'), lockOf(unusedPid(), '123'))
    lockDir(d)()
    expect(readdirSync(d)).toEqual([])
  })

  it('takes over a lock whose pid now belongs to another process (recycled pid: another start time)', () => {
    const d = dir()
    writeFileSync(join(d, 'lock'), lockOf(process.ppid, `${processStartTime(process.ppid)}0`))
    const unlock = lockDir(d)
    expect(JSON.parse(readFileSync(join(d, 'lock'), 'utf8')).pid).toBe(process.pid)
    unlock()
  })

  it('takes over an empty or torn lock file (a crash while it was written by an old version)', () => {
    const d = dir()
    writeFileSync(join(d, 'lock'), '{"pid":')
    lockDir(d)()
    expect(existsSync(join(d, 'lock'))).toBe(false)
  })

  it('refuses a second shipper of this same process on the directory', () => {
    const d = dir()
    const unlock = lockDir(d)
    expect(() => lockDir(d)).toThrow(/already used by another shipper in this process/)
    unlock()
  })

  it('a contender acting on an outdated view (the stale lock was already replaced by a live one) leaves the live lock in place', () => {
    const d = dir()
    const path = join(d, 'lock')
    const stale = lockOf(unusedPid(), '1')
    writeFileSync(path, stale)
    // Another process breaks the stale lock and takes the directory first...
    const unlock = lockDir(d)
    const live = readFileSync(path, 'utf8')
    // ...then this contender, which judged `stale` earlier, acts on that judgement.
    breakStaleLock(d, path, stale)
    expect(readFileSync(path, 'utf8')).toBe(live)
    expect(readdirSync(d)).toEqual(['lock'])
    unlock()
  })
})
