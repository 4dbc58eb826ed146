import { describe, it, expect } from 'vitest'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, runCli, tempDir, writeConfig } from '../helpers/cli.js'

const doc = readFileSync(join(ROOT, 'docs', 'processors.md'), 'utf8')

/** The fenced block ```<lang> processors-example-<part> of docs/processors.md. */
function block(part: string): string {
  const found = new RegExp('```\\w+ processors-example-' + part + '\\n([\\s\\S]*?)```').exec(doc)
  if (!found) throw new Error(`docs/processors.md has no processors-example-${part} block`)
  return found[1]!
}

describe('docs/processors.md example', () => {
  it('ships exactly the documented events for the documented lines and config', async () => {
    const dir = tempDir('processors-docs')
    writeFileSync(join(dir, 'app.log'), block('input'))
    const cfg = writeConfig(dir, block('config'))
    const r = await runCli(['run', '--once', '-c', cfg], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    const shipped = readFileSync(join(dir, 'events.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    const documented = block('output')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    for (const event of shipped) {
      expect(event.event.id).toMatch(/^[0-9a-f]{40}$/)
      event.event.id = '<sha1>'
    }
    expect(shipped).toEqual(documented)
  })
})
