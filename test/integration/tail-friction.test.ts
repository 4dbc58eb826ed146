import { describe, it, expect } from 'vitest'
import { writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, startCli, tempDir, writeConfig, readNdjson, type ShippedLine } from '../helpers/cli.js'
import { waitFor } from '../helpers/wait.js'

describe('tail mode friction', () => {
  it('ships a text log with a NUL byte in its first KiB; skips a gzip file and says so in test config', async () => {
    const dir = tempDir('friction-binary')
    const logs = join(dir, 'logs')
    mkdirSync(logs)
    const probe = Buffer.concat([
      Buffer.from('2026/11/24 12:00:00 [info] 12#12: *1 client sent invalid request, request: "'),
      Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05]),
      Buffer.from('hello"\n'),
    ])
    writeFileSync(join(logs, 'error.log'), Buffer.concat([probe, Buffer.from(Array.from({ length: 50 }, (_, i) => `2026/11/24 12:00:01 [info] line ${i}\n`).join(''))]))
    writeFileSync(join(logs, 'old.log.gz'), Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x41, 0x0a]))
    const cfg = writeConfig(dir, `inputs:\n  - type: file\n    paths: ['${logs}/*']\noutput: { type: file, path: ${dir}/out.ndjson }\nregistry: { path: ${dir}/registry.json }\n`)
    const check = await runCli(['test', 'config', '-c', cfg])
    expect(check.code, check.stderr).toBe(0)
    expect(check.stderr).toMatch(/old\.log\.gz would be skipped: it looks binary \(it starts with a gzip signature\)/)
    const r = await runCli(['run', '--once', '-c', cfg])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/skipping .*old\.log\.gz: it looks binary/)
    expect(readNdjson<ShippedLine>(join(dir, 'out.ndjson')).events).toHaveLength(51)

    // a running logship names the skipped file on its stats endpoint too
    const running = startCli([
      'run',
      '-c',
      writeConfig(
        dir,
        `inputs:\n  - type: file\n    paths: ['${logs}/*']\noutput: { type: file, path: ${dir}/out2.ndjson }\nregistry: { path: ${dir}/registry2.json }\nhttp: { port: 0 }\n`,
      ),
    ])
    await running.ready
    const url = await waitFor(() => /stats on (http:\/\/\S+)\/metrics/.exec(running.stderr())?.[1], 'the stats endpoint address')
    const stats = await waitFor(async () => {
      const s = (await (await fetch(`${url}/stats`)).json()) as { tail?: { skippedFiles: { path: string; reason: string }[] } }
      return s.tail && s.tail.skippedFiles.length > 0 ? s.tail : undefined
    }, 'the skipped file in /stats')
    expect(stats!.skippedFiles).toEqual([{ path: join(logs, 'old.log.gz'), reason: expect.stringMatching(/gzip/) }])
    expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/^logship_input_files_skipped 1$/m)
    await running.signal('SIGTERM')
    expect((await running.exited).code, running.stderr()).toBe(0)
  })

  it('warns about globs that match nothing, and refuses a registry path that cannot be written', async () => {
    const dir = tempDir('friction-paths')
    writeFileSync(join(dir, 'not-a-dir'), '')
    const cfg = writeConfig(
      dir,
      `inputs:\n  - type: file\n    paths: ['${dir}/nothing-here/*.log']\noutput: { type: file, path: ${dir}/out.ndjson }\nregistry: { path: ${dir}/not-a-dir/registry.json }\n`,
    )
    const check = await runCli(['test', 'config', '-c', cfg])
    expect(check.code).toBe(2)
    expect(check.stderr).toMatch(/warning: inputs\[0\]\.paths: .*nothing-here\/\*\.log matches no file/)
    expect(check.stderr).toMatch(/error: registry\.path: .*not-a-dir\/registry\.json cannot be written: .*not a directory; choose another registry\.path/)
    const good = writeConfig(
      dir,
      `inputs:\n  - type: file\n    paths: ['${dir}/nothing-here/*.log']\noutput: { type: file, path: ${dir}/out.ndjson }\nregistry: { path: ${dir}/registry.json }\n`,
      'good.yml',
    )
    const once = await runCli(['run', '--once', '-c', good])
    expect(once.code, once.stderr).toBe(0)
    expect(once.stderr).toMatch(/warning: .*nothing-here\/\*\.log matches no file/)
  })

  it('refuses a second process on the same registry, naming the first', async () => {
    const dir = tempDir('friction-lock')
    writeFileSync(join(dir, 'app.log'), 'one\n')
    const cfg = writeConfig(
      dir,
      `inputs:\n  - type: file\n    paths: ['${dir}/app.log']\noutput: { type: file, path: ${dir}/out.ndjson }\nregistry: { path: ${dir}/registry.json }\n`,
    )
    const first = startCli(['run', '-c', cfg])
    await first.ready
    const second = await runCli(['run', '-c', cfg])
    expect(second.code).toBe(1)
    expect(second.stderr).toContain(`another logship process (pid ${first.child.pid}) uses the registry ${dir}/registry.json`)
    first.child.kill('SIGTERM')
    expect((await first.exited).code).toBe(0)
    // The lock is gone with it.
    const again = await runCli(['run', '--once', '-c', cfg])
    expect(again.code, again.stderr).toBe(0)
  })
})
