// Fails when a source file grows past 350 lines (issue 18: small single-purpose files).
// Run by `npm run lint`; the limit and the folders are the architecture's, not a style choice.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const LIMIT = 350
const roots = ['src', 'adapters']
const tooLong = []
for (const root of roots) {
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue
    const path = join(entry.parentPath, entry.name)
    const lines = readFileSync(path, 'utf8').split('\n').length - 1
    if (lines > LIMIT) tooLong.push(`${path}: ${lines} lines`)
  }
}
if (tooLong.length > 0) {
  console.error(`files over ${LIMIT} lines (split them by concept; docs/architecture.md names the owners):\n  ${tooLong.join('\n  ')}`)
  process.exit(1)
}
