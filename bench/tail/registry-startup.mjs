// How long `logship run --once` takes with 100,000 files in its registry, against an empty one.
// Usage: node bench/tail/registry-startup.mjs [entries=100000]   (prints one JSON line)
import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const ENTRIES = Number(process.argv[2] ?? 100_000)
const dir = join(ROOT, 'bench', '.work', 'registry-startup')
rmSync(dir, { recursive: true, force: true })
mkdirSync(dir, { recursive: true })
writeFileSync(join(dir, 'one.log'), 'a line\n')

function run(entries) {
  const registry = join(dir, `registry-${entries}.json`)
  const lines = Array.from({ length: entries }, (_, i) =>
    JSON.stringify([`64768:${1_000_000 + i}`, `/var/log/app/service-${i}.log`, i * 1000, 1024, 'AAAAAAAAAAAAAAAAAAAAAA', 1764000000000]),
  )
  writeFileSync(registry, `{"version":1,"entries":[\n${lines.join(',\n')}\n]}\n`)
  const cfg = join(dir, `c-${entries}.yml`)
  writeFileSync(
    cfg,
    `inputs:\n  - type: file\n    paths: ['${dir}/one.log']\n    cleanRemoved: false\noutput: { type: file, path: ${dir}/out.ndjson }\nregistry: { path: ${registry} }\n`,
  )
  const times = []
  for (let i = 0; i < 3; i++) {
    writeFileSync(registry, `{"version":1,"entries":[\n${lines.join(',\n')}\n]}\n`)
    const t = performance.now()
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'run', '--once', '-c', cfg], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(r.stderr)
    times.push(performance.now() - t)
  }
  return { ms: Math.round(times.sort((a, b) => a - b)[1]), registryMB: +(statSync(registry).size / 1e6).toFixed(1) }
}

const empty = run(0)
const full = run(ENTRIES)
console.log(JSON.stringify({ entries: ENTRIES, emptyMs: empty.ms, fullMs: full.ms, extraMs: full.ms - empty.ms, registryMB: full.registryMB }))
