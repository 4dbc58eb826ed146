import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Reporter } from 'vitest/reporters'
import { SKIP_NOTES_DIR } from '../helpers/system-software.js'

/**
 * Ends a local run with one plain line naming the suites skipped for missing software and
 * how to get it, e.g. `3 suites skipped: need nginx, mariadb-server — run sudo bash .ci/system-deps.sh`.
 */
export default class SkippedSuitesReporter implements Reporter {
  onInit(): void {
    rmSync(SKIP_NOTES_DIR, { recursive: true, force: true })
  }

  onTestRunEnd(): void {
    let notes: { suite: string; packages: string[] }[] = []
    try {
      notes = readdirSync(SKIP_NOTES_DIR).map((f) => JSON.parse(readFileSync(join(SKIP_NOTES_DIR, f), 'utf8')) as { suite: string; packages: string[] })
    } catch {
      return // no suite was skipped
    }
    if (notes.length === 0) return
    const packages = [...new Set(notes.flatMap((n) => n.packages))].sort()
    const suites = notes.map((n) => n.suite).sort()
    process.stdout.write(`\n${notes.length} suite${notes.length === 1 ? '' : 's'} skipped (${suites.join(', ')}): need ${packages.join(', ')} — run sudo bash .ci/system-deps.sh\n`)
  }
}
