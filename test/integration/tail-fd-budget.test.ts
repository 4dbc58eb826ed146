import { describe, it, expect } from 'vitest'
import { spawn } from 'node:child_process'
import { appendFileSync, mkdirSync, readFileSync, writeFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { CLI, tempDir, writeConfig, readNdjson, type ShippedLine } from '../helpers/cli.js'
import { waitFor } from '../helpers/wait.js'

const FILES = 1200
/** Lower than FILES: logship cannot hold every file open at once. */
const NOFILE = 256

function shippedPerFile(out: string): Map<string, number> {
  const counts = new Map<string, number>()
  for (const e of readNdjson<ShippedLine>(out).events) counts.set(e.log.file!.path, (counts.get(e.log.file!.path) ?? 0) + 1)
  return counts
}

describe('more files than `ulimit -n` allows', () => {
  it('ships every file, takes turns, and never dies of EMFILE', async () => {
    const dir = tempDir('fd-budget')
    const logs = join(dir, 'logs')
    mkdirSync(logs)
    const paths = Array.from({ length: FILES }, (_, i) => join(logs, `f${String(i).padStart(4, '0')}.log`))
    for (const path of paths) writeFileSync(path, 'first line\nsecond line\n')
    const out = join(dir, 'out.ndjson')
    const cfg = writeConfig(
      dir,
      `inputs:
  - type: file
    paths: ['${logs}/*.log']
    scanIntervalMs: 200
output: { type: file, path: ${out} }
batch: { flushMs: 50 }
registry: { path: ${dir}/registry.json, flushMs: 200 }
http: { port: 0 }
statsIntervalMs: 500
`,
    )
    // systemd's default soft limit for services is 1024; the same problem, smaller.
    const child = spawn('/bin/sh', ['-c', `ulimit -n ${NOFILE} && exec "${process.execPath}" "${CLI}" run -c "${cfg}"`], { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    try {
      const everyFileHas = (lines: number) => () => {
        const counts = shippedPerFile(out)
        return paths.every((p) => (counts.get(p) ?? 0) >= lines)
      }
      await waitFor(everyFileHas(2), `every one of ${FILES} files to be shipped`, 40_000, 250)
      // Every file grows again while logship holds at most a few hundred of them open: each gets its turn.
      for (const path of paths) appendFileSync(path, 'third line\n')
      await waitFor(everyFileHas(3), 'the new line of every file to be shipped', 40_000, 250)
      expect(child.exitCode, stderr).toBe(null)
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited, stderr).toBe(0)
    const counts = shippedPerFile(out)
    expect(
      [...counts.values()].filter((n) => n !== 3),
      'each file shipped exactly its 3 lines',
    ).toEqual([])
    expect(stderr).not.toMatch(/cannot write the registry/)
    const registry = JSON.parse(readFileSync(join(dir, 'registry.json'), 'utf8')) as { entries: [string, string, number][] }
    expect(registry.entries).toHaveLength(FILES)
    for (const [, path, offset] of registry.entries) expect(offset, path).toBe(statSync(path).size)
  })
})
