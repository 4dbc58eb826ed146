// node bench/startup/cli-cpu.mjs <before checkout> [after checkout]: wall and CPU time (user + system
// of the process and all its threads, from /usr/bin/time) of CLI commands that check a config or
// read the modules, two built checkouts interleaved round by round so machine load hits them alike.
// CPU time, which load moves less than wall time, shows what start-up work a change saves.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { machine } from '../lib/run.mjs'

const [before, after = fileURLToPath(new URL('../..', import.meta.url))] = process.argv.slice(2)
if (!before) throw new Error('usage: node bench/startup/cli-cpu.mjs <before checkout, built> [after checkout, built]')
const ROUNDS = Number(process.env.ROUNDS ?? 11)
const dir = mkdtempSync(join(tmpdir(), 'logship-cli-cpu-'))
const state = join(dir, 'state')
writeFileSync(join(dir, 'two-lines.log'), 'first line\nsecond line\n')
const config = join(dir, 'logship.yml')
writeFileSync(
  config,
  `inputs: [{ type: file, paths: ['${join(dir, 'two-lines.log')}'] }]\noutput: { type: file, path: '${join(dir, 'out.ndjson')}' }\nregistry: { path: '${join(state, 'registry.json')}' }\nqueue: { spill: { dir: '${join(state, 'spill')}' } }\nstatsIntervalMs: 0\n`,
)
const cases = [
  ['modules fields nginx.access', ['modules', 'fields', 'nginx.access']],
  ['test config -c logship.yml', ['test', 'config', '-c', config]],
  ['run --once -c logship.yml (2 lines to a file output)', ['run', '--once', '--no-progress', '-c', config]],
]
const builds = [
  ['before', before],
  ['after', after],
]

const times = new Map()
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, args] of cases) {
    for (const [label, root] of builds) {
      rmSync(state, { recursive: true, force: true }) // every run ships both lines
      const started = performance.now()
      const run = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, join(root, 'dist/cli.js'), ...args], { encoding: 'utf8' })
      const wall = performance.now() - started
      if (run.status !== 0) throw new Error(`${name} (${label}) failed (exit ${run.status}): ${run.stderr}`)
      const [user, system] = run.stderr.trim().split('\n').at(-1).split(' ').map(Number)
      const key = `${name}|${label}`
      if (!times.has(key)) times.set(key, [])
      times.get(key).push([wall, (user + system) * 1000])
    }
  }
}
rmSync(dir, { recursive: true, force: true })

const median = (xs) => Math.round([...xs].sort((a, b) => a - b)[xs.length >> 1])
console.log(`# logship CLI start-up, wall and CPU — ${new Date().toISOString()} — ${machine()} — median of ${ROUNDS}\n`)
console.log('| command | before: wall ms | before: CPU ms | after: wall ms | after: CPU ms |\n|---|---:|---:|---:|---:|')
for (const [name] of cases) {
  const [b, a] = builds.map(([label]) => times.get(`${name}|${label}`))
  console.log(`| \`logship ${name}\` | ${median(b.map((t) => t[0]))} | ${median(b.map((t) => t[1]))} | ${median(a.map((t) => t[0]))} | ${median(a.map((t) => t[1]))} |`)
}
