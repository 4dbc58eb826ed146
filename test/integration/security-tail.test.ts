import { describe, it, expect } from 'vitest'
import { mkdirSync, writeFileSync, symlinkSync, appendFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, tempDir, writeConfig, readNdjson, type ShippedLine } from '../helpers/cli.js'

describe("tail: links and logship's own files", () => {
  const planted = (): { dir: string; logs: string } => {
    const dir = tempDir('sec-links')
    const logs = join(dir, 'logs')
    mkdirSync(join(dir, 'private'), { mode: 0o700 })
    writeFileSync(join(dir, 'private', 'shadow'), 'root:PLANTED-SECRET-HASH:19000\n')
    mkdirSync(logs)
    writeFileSync(join(logs, 'app.log'), 'line one\nline two\n')
    symlinkSync(join(dir, 'private', 'shadow'), join(logs, 'evil.log'))
    symlinkSync(join(dir, 'private'), join(logs, 'sub'))
    return { dir, logs }
  }

  it('a link planted in a watched directory is not followed by default', async () => {
    const { dir, logs } = planted()
    const cfg = writeConfig(
      dir,
      `inputs:\n  - type: file\n    paths: ['${logs}/*.log', '${logs}/**/*']\noutput: { type: file, path: ${dir}/out.ndjson }\nregistry: { path: ${dir}/state/registry.json }\n`,
    )
    const r = await runCli(['run', '--once', '-c', cfg], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    const out = readFileSync(join(dir, 'out.ndjson'), 'utf8')
    expect(out).not.toContain('PLANTED-SECRET')
    expect(readNdjson<ShippedLine>(join(dir, 'out.ndjson')).events.map((e) => e.message)).toEqual(['line one', 'line two'])
  })

  it('symlinks: true follows them (for setups that link logs on purpose)', async () => {
    const { dir, logs } = planted()
    const cfg = writeConfig(
      dir,
      `inputs:\n  - type: file\n    symlinks: true\n    paths: ['${logs}/evil.log']\noutput: { type: file, path: ${dir}/out.ndjson }\nregistry: { path: ${dir}/state/registry.json }\n`,
    )
    const r = await runCli(['run', '--once', '-c', cfg], { cwd: dir })
    expect(r.code, r.stderr).toBe(0)
    expect(readFileSync(join(dir, 'out.ndjson'), 'utf8')).toContain('PLANTED-SECRET')
  })

  it('its own output, dead-letter, registry and spill files are never read, even when a glob matches them', async () => {
    const dir = tempDir('sec-own')
    writeFileSync(join(dir, 'app.log'), 'first\n')
    // a glob over the whole directory: it matches the output, the dead letters, the registry and the spill
    const cfg = writeConfig(
      join(dir),
      `inputs:\n  - type: file\n    paths: ['${dir}/**']\n    excludeFiles: ['logship\\.yml$']\noutput: { type: file, path: ${dir}/out.ndjson }\ndeadLetter: { path: ${dir}/dead.ndjson }\nregistry: { path: ${dir}/state/registry.json }\nqueue: { durable: true, spill: { dir: ${dir}/spill } }\n`,
    )
    writeFileSync(join(dir, 'dead.ndjson'), '{"message":"an old dead letter"}\n')
    for (let run = 0; run < 3; run++) {
      const r = await runCli(['run', '--once', '-c', cfg], { cwd: dir })
      expect(r.code, r.stderr).toBe(0)
      appendFileSync(join(dir, 'app.log'), `after run ${run}\n`)
    }
    const messages = readNdjson<ShippedLine>(join(dir, 'out.ndjson')).events.map((e) => e.message)
    expect(messages).toEqual(['first', 'after run 0', 'after run 1'])
  })
})
