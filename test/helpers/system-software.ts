import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Real software some suites drive (nginx, logrotate, MariaDB, Redis, openssl, script), the Debian
 * package that brings each, and the gate a suite puts in front of itself.
 *
 * Locally a missing binary skips the suite and leaves a note that the summary reporter
 * (test/support/skipped-suites-reporter.ts) turns into one closing line; with CI=true a
 * missing binary fails the suite: CI must never pass by skipping.
 */
const PACKAGE_OF: Record<string, string> = {
  nginx: 'nginx',
  logrotate: 'logrotate',
  openssl: 'openssl',
  script: 'bsdutils',
  mariadbd: 'mariadb-server',
  'mariadb-install-db': 'mariadb-server',
  mariadb: 'mariadb-client',
  'redis-server': 'redis-server',
  apache2: 'apache2-bin',
}

export const SKIP_NOTES_DIR = fileURLToPath(new URL('../../.tmp/skipped-suites', import.meta.url))

/** Debian keeps daemons in /usr/sbin, which is not on every user's PATH. */
function searchDirs(): string[] {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean)
  for (const extra of ['/usr/local/sbin', '/usr/sbin', '/sbin']) if (!dirs.includes(extra)) dirs.push(extra)
  return dirs
}

/** The absolute path of an executable named `name`, or undefined when none is installed. */
export function findBinary(name: string, dirs: readonly string[] = searchDirs()): string | undefined {
  for (const dir of dirs) {
    const candidate = join(dir, name)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not in this directory
    }
  }
  return undefined
}

/** The absolute path of `name`; throws naming the package to install (for helpers called after the gate). */
export function binary(name: string): string {
  const found = findBinary(name)
  if (!found) throw new Error(`${name} is not installed: run sudo bash .ci/system-deps.sh (Debian package ${PACKAGE_OF[name] ?? name})`)
  return found
}

function packagesFor(binaries: readonly string[]): string[] {
  return [...new Set(binaries.map((b) => PACKAGE_OF[b] ?? b))]
}

/**
 * Gate for a suite that drives real software. Returns true when the suite must be skipped
 * (use with `describe.skipIf(...)`); throws under CI=true instead of skipping.
 */
export function missingSoftware(suite: string, binaries: readonly string[]): boolean {
  const missing = binaries.filter((b) => findBinary(b) === undefined)
  if (missing.length === 0) return false
  const packages = packagesFor(missing)
  if (process.env.CI === 'true' || process.env.CI === '1') {
    throw new Error(`${suite} needs ${missing.join(', ')} (Debian: ${packages.join(', ')}), and CI must not skip it: .ci/system-deps.sh should have installed them`)
  }
  mkdirSync(SKIP_NOTES_DIR, { recursive: true })
  writeFileSync(join(SKIP_NOTES_DIR, `${suite.replace(/[^\w.-]+/g, '_')}.json`), JSON.stringify({ suite, packages }))
  return true
}
