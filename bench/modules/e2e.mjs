// logship run --once over 1,000,000 nginx access lines, without a parser and with
// `parser: nginx.access`, in the same run: what the module costs end to end (issue 8).
// The output is a file output to a scratch file (removed after each run; the file output writes only
// regular files, not /dev/null), so only reading, parsing, encoding and one append are measured.
// Run: npm run bench:modules-e2e   (env: N, default 1000000)
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import os from 'node:os'

const here = (p) => fileURLToPath(new URL(p, import.meta.url))
const N = Number(process.env.N ?? 1_000_000)
const work = here('../.work/modules')
mkdirSync(work, { recursive: true })
const log = join(work, `nginx-access-${N}.log`)
if (!existsSync(log)) execFileSync(process.execPath, [here('../tail/gen-nginx.mjs'), log, String(N)], { stdio: 'inherit' })
const cli = here('../../dist/cli.js')

function run(parser) {
  const dir = join(work, parser ?? 'raw')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir)
  const cfg = join(dir, 'logship.yml')
  writeFileSync(
    cfg,
    `inputs:\n  - type: file\n    paths: ['${log}']\n${parser ? `    parser: ${parser}\n` : ''}output: { type: file, path: ${join(dir, 'out.ndjson')} }\nregistry: { path: ${join(dir, 'registry.json')} }\n`,
  )
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, cli, 'run', '--once', '--no-progress', '-c', cfg], { encoding: 'utf8', timeout: 300_000 })
  rmSync(join(dir, 'out.ndjson'), { force: true })
  if (r.status !== 0) throw new Error(`logship run --once exited with ${r.status}: ${r.stderr.slice(-2000)}`)
  const shipped = /shipped (\d+) events/.exec(r.stdout + r.stderr)
  if (Number(shipped?.[1]) !== N) throw new Error(`logship shipped ${shipped?.[1] ?? 'no'} events of ${N}: ${(r.stdout + r.stderr).slice(-2000)}`)
  const [wall, user, sys, rssKb] = r.stderr.trim().split('\n').pop().split(' ').map(Number)
  return { parser: parser ?? 'none (raw lines)', seconds: wall, linesPerSec: Math.round(N / wall), cpu: +(user + sys).toFixed(2), rssMB: Math.round(rssKb / 1024) }
}

const rows = []
for (let round = 0; round < 2; round++) rows.push(run(undefined), run('nginx.access'))
const best = (p) => rows.filter((r) => r.parser.startsWith(p)).sort((a, b) => b.linesPerSec - a.linesPerSec)[0]
const raw = best('none')
const parsed = best('nginx')
console.log(
  `# modules end to end — ${new Date().toISOString()} — ${os.cpus().length} cores, Node ${process.version}, load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} — N=${N.toLocaleString('en-US')}\n`,
)
console.log('| parser | seconds | lines/s | CPU s | peak RSS MB |\n|---|---:|---:|---:|---:|')
for (const r of [raw, parsed]) console.log(`| ${r.parser} | ${r.seconds} | ${r.linesPerSec.toLocaleString('en-US')} | ${r.cpu} | ${r.rssMB} |`)
console.log(`\nthe module costs ${Math.round((1 - parsed.linesPerSec / raw.linesPerSec) * 100)}% of raw tail throughput (best of 2 rounds each; target: at most 40%)`)
