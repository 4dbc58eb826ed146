import { describe, it, expect } from 'vitest'
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, tempDir, writeConfig } from '../helpers/cli.js'

const asRoot = process.getuid?.() === 0
/** Root writes anywhere: run logship as nobody to get a real EACCES. */
const unprivileged = asRoot ? { uid: 65534, gid: 65534 } : {}

describe('logship run and its registry', () => {
  it('exits 1 (not 0) when the registry cannot be written, and says why', async () => {
    const dir = tempDir('cli-registry-fail')
    chmodSync(dir, 0o777)
    const logs = join(dir, 'logs')
    mkdirSync(logs, { mode: 0o755 })
    writeFileSync(join(logs, 'a.log'), 'one\ntwo\n', { mode: 0o644 })
    // A registry that can be read but not replaced: its directory is read-only for logship.
    const data = join(dir, 'data')
    mkdirSync(data)
    writeFileSync(join(data, 'registry.json'), '{"version":1,"entries":[\n]}\n', { mode: 0o644 })
    chmodSync(data, 0o555)
    const cfg = writeConfig(dir, `inputs:\n  - type: file\n    paths: ['${logs}/*']\noutput: { type: file, path: ${dir}/out.ndjson }\nregistry: { path: ${data}/registry.json }\n`)
    if (asRoot) chownSync(cfg, 65534, 65534)
    const r = await runCli(['run', '--once', '-c', cfg], { cwd: dir, ...unprivileged })
    // the registry lock finds out first, at start-up, before anything is read twice
    expect(r.stderr).toMatch(/cannot (write|lock) the registry .*registry\.json.*EACCES/)
    expect(r.code).toBe(1)
  })
})
