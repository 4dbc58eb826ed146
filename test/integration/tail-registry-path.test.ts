import { describe, it, expect } from 'vitest'
import { mkdirSync, writeFileSync, existsSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, tempDir, writeConfig } from '../helpers/cli.js'

/**
 * A registry.path that cannot be a registry: logship refused to start (right) but said
 * "EISDIR: illegal operation on a directory, read; check its permissions" for a directory (the
 * permissions were fine), appended "check its permissions" to a message that had its own
 * advice (a symbolic link), and left its lock file behind.
 */
function configFor(dir: string, registry: string): string {
  writeFileSync(join(dir, 'app.log'), 'one\n')
  return writeConfig(
    dir,
    `inputs: [{ type: file, paths: ['${dir}/app.log'] }]
output: { type: file, path: '${dir}/out.ndjson' }
registry: { path: '${registry}' }
queue: { spill: { dir: '${dir}/spill' } }
`,
  )
}

describe('a registry.path that is not a file', () => {
  it('a directory: says so and what to write instead, and lets go of the lock', async () => {
    const dir = tempDir('registry-dir')
    const registry = join(dir, 'state', 'registry.json')
    mkdirSync(registry, { recursive: true })
    const r = await runCli(['run', '--once', '-c', configFor(dir, registry)])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`registry.path ${registry} is a directory; give the path of a file in it, such as ${join(registry, 'registry.json')}`)
    expect(r.stderr).not.toMatch(/check its permissions/)
    expect(existsSync(`${registry}.lock`)).toBe(false)
  })

  it('a symbolic link: one piece of advice, and the lock let go', async () => {
    const dir = tempDir('registry-link')
    mkdirSync(join(dir, 'state'))
    writeFileSync(join(dir, 'elsewhere.json'), '{"version":1,"entries":[]}')
    const registry = join(dir, 'state', 'registry.json')
    symlinkSync(join(dir, 'elsewhere.json'), registry)
    const r = await runCli(['run', '--once', '-c', configFor(dir, registry)])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/is a symbolic link; logship never writes through links/)
    expect(r.stderr).not.toMatch(/check its permissions/)
    expect(existsSync(`${registry}.lock`)).toBe(false)
  })
})
