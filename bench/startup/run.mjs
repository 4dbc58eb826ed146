// npm run bench:startup: what loading logship costs, against a bare `node -e ''` in the same run.
// Each case runs ROUNDS times, interleaved with the others so machine load hits them alike;
// the table shows medians and the difference to the bare start (issue 18's targets).
// LOGSHIP_BEFORE=<checkout of an older build, built> runs the logship cases against it too, interleaved.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { machine } from '../lib/run.mjs'

const ROUNDS = Number(process.env.ROUNDS ?? 15)
const here = (p) => fileURLToPath(new URL(p, import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'logship-startup-'))

// `logship run --once` over a 2-line file into a file output: the CLI's shortest real run (config
// loaded and checked, tail, worker, registry written). The registry is removed before each run so
// every run ships both lines.
const runDir = join(dir, 'run')
const runConfig = join(dir, 'run.yml')
writeFileSync(join(dir, 'two-lines.log'), 'first line\nsecond line\n')
writeFileSync(
  runConfig,
  `inputs: [{ type: file, paths: ['${join(dir, 'two-lines.log')}'] }]\noutput: { type: file, path: '${join(dir, 'run-out.ndjson')}' }\nregistry: { path: '${join(runDir, 'registry.json')}' }\nqueue: { spill: { dir: '${join(runDir, 'spill')}' } }\nstatsIntervalMs: 0\n`,
)
const freshRegistry = () => rmSync(runDir, { recursive: true, force: true })

const logshipCases = (root, label) => [
  { name: `\`await import('logship')\`${label}`, args: ['--input-type=module', '-e', "await import('logship')"], cwd: root, target: 60 },
  { name: `script: write one event to a file output, close${label}`, args: [join(root, 'bench/startup/one-event.mjs'), join(dir, 'out.ndjson')], cwd: root, target: 250 },
  { name: `\`logship --help\`${label}`, args: [join(root, 'dist/cli.js'), '--help'], cwd: root, target: 150 },
  {
    name: `\`logship run --once\`: 2 lines to a file output${label}`,
    args: [join(root, 'dist/cli.js'), 'run', '--once', '--no-progress', '-c', runConfig],
    cwd: root,
    before: freshRegistry,
    target: undefined,
  },
]
const before = process.env.LOGSHIP_BEFORE
const cases = [
  { name: "bare `node -e ''`", args: ['-e', ''], cwd: here('../..'), target: undefined },
  ...logshipCases(here('../..'), before ? ' (this build)' : ''),
  ...(before ? logshipCases(before, ' (before)') : []),
]

const times = cases.map(() => [])
for (let round = 0; round < ROUNDS; round++) {
  cases.forEach((c, i) => {
    c.before?.()
    const started = process.hrtime.bigint()
    const run = spawnSync(process.execPath, c.args, { cwd: c.cwd, stdio: ['ignore', 'ignore', 'pipe'] })
    if (run.status !== 0) throw new Error(`${c.name} failed (exit ${run.status}): ${run.stderr}`)
    times[i].push(Number(process.hrtime.bigint() - started) / 1e6)
  })
}
rmSync(dir, { recursive: true, force: true })

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
const bare = median(times[0])
console.log(`# logship start-up cost — ${new Date().toISOString()} — ${machine()} — median of ${ROUNDS}\n`)
console.log('| what | median ms | over bare node | target |\n|---|---:|---:|---:|')
cases.forEach((c, i) => {
  const m = median(times[i])
  const over = i === 0 ? '' : `+${Math.round(m - bare)}`
  const target = c.target === undefined ? '' : `≤ +${c.target}${m - bare <= c.target ? ' (met)' : ' (not met)'}`
  console.log(`| ${c.name} | ${Math.round(m)} | ${over} | ${target} |`)
})
