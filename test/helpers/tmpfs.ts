import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SKIP_NOTES_DIR } from './system-software.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/**
 * Mounts a small tmpfs of `size` (a mount option: '256k', '2m') for a suite that needs a disk
 * that really fills. Needs root: where this machine does not allow it, the suite is skipped
 * locally with a note saying why (undefined is returned), and fails under CI.
 */
export function mountSmallDisk(size: string, suite: string, noteName: string): string | undefined {
  mkdirSync(join(ROOT, '.tmp'), { recursive: true })
  const at = mkdtempSync(join(ROOT, '.tmp', `tmpfs-${noteName}-`))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', at], { stdio: 'pipe' })
    return at
  } catch (err) {
    rmSync(at, { recursive: true, force: true })
    const why = `cannot mount a tmpfs (${(err as Error).message.split('\n')[0]}): run the tests as root on a machine that allows mounts`
    if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`${suite}: ${why}`)
    mkdirSync(SKIP_NOTES_DIR, { recursive: true })
    writeFileSync(join(SKIP_NOTES_DIR, `${noteName}.json`), JSON.stringify({ suite, packages: ['root (mount -t tmpfs)'] }))
    return undefined
  }
}

/** Unmounts and removes what mountSmallDisk mounted (nothing when it was not mounted). */
export function unmountSmallDisk(at: string | undefined): void {
  if (!at) return
  execFileSync('umount', [at])
  rmSync(at, { recursive: true, force: true })
}
