// npm run bench:tail — `logship run --once` over a generated nginx access log into a local
// Elasticsearch `_bulk` sink, in the same run as syslog-ng (file() -> elasticsearch-http()) and
// rsyslog (imfile -> omelasticsearch). Prints a markdown table; raw results go to
// bench/results/tail-<date>.json.
//   N=1000000 REPEAT=3 PEERS=logship,syslog-ng,rsyslog npm run bench:tail
// Each round also measures the sink ceiling (bench/tail/sink-ceiling.mjs: pre-built ~5 MB bodies of
// the same documents, 3 requests in flight; CEILING=0 skips it), and logship's lines/s is reported
// as a share of it.
// PEERS may include logship-main: logship with `engine: { thread: main }` (one thread, less memory).
// LOGSHIP_YAML appends lines to logship's config (e.g. 'queue: { maxBytes: 4mb }'), LOGSHIP_NODE_ARGS
// adds node flags (e.g. '--max-semi-space-size=2'), LOGSHIP_DIST runs another build's dist/.
import { fork, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, createReadStream } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import os from 'node:os'

const here = (p) => fileURLToPath(new URL(p, import.meta.url))
const ROOT = here('../..')
const N = Number(process.env.N ?? 1_000_000)
const REPEAT = Number(process.env.REPEAT ?? 3)
const PEERS = (process.env.PEERS ?? 'logship,syslog-ng,rsyslog').split(',')
const CEILING = process.env.CEILING !== '0'
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS ?? 300_000)
const WORK = join(ROOT, 'bench', '.work', 'tail')
const LOG = join(WORK, `nginx-access-${N}.log`)
const TIME = '/usr/bin/time'

mkdirSync(WORK, { recursive: true })
if (!existsSync(LOG)) {
  console.error(`generating ${N} nginx access log lines into ${LOG} ...`)
  spawnSync(process.execPath, [here('./gen-nginx.mjs'), LOG, String(N)], { stdio: 'inherit' })
}
const logBytes = statSync(LOG).size
if (PEERS.some((p) => p !== 'logship')) {
  const r = spawnSync('bash', [here('./install-peers.sh')], { stdio: 'inherit' })
  if (r.status !== 0) throw new Error('installing the peers failed; see above (or run with PEERS=logship)')
}
if (!existsSync(TIME)) throw new Error('/usr/bin/time is needed (Debian package `time`)')

// The sink: bench/elasticsearch/sink.mjs (a fast, protocol-faithful _bulk endpoint), over IPC.
const sink = fork(join(ROOT, 'bench', 'elasticsearch', 'sink.mjs'), [], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] })
const port = await new Promise((resolve) => sink.stdout.on('data', (d) => /PORT (\d+)/.test(d) && resolve(Number(/PORT (\d+)/.exec(d)[1]))))
const ask = (type) =>
  new Promise((resolve) => {
    const on = (m) => {
      if (m.type !== type) return
      sink.off('message', on)
      resolve(m)
    }
    sink.on('message', on)
    sink.send({ type })
  })
const sinkStats = () => ask('stats')
const sinkReset = () =>
  new Promise((resolve) => {
    sink.send({ type: 'reset' })
    setTimeout(resolve, 50)
  })
function childrenOf(pid) {
  const r = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
  return r.stdout.split('\n').filter(Boolean).map(Number)
}

function command(peer, dir) {
  if (peer === 'logship' || peer === 'logship-main') {
    const cfg = join(dir, 'logship.yml')
    writeFileSync(
      cfg,
      `inputs:\n  - type: file\n    paths: ['${LOG}']\noutput: { type: elasticsearch, hosts: ['http://127.0.0.1:${port}'], index: bench, compression: false }\nregistry: { path: ${dir}/registry.json }\n${peer === 'logship-main' ? 'engine: { thread: main }\n' : ''}${process.env.LOGSHIP_YAML ?? ''}\n`,
    )
    const nodeArgs = (process.env.LOGSHIP_NODE_ARGS ?? '').split(' ').filter(Boolean)
    return [process.execPath, ...nodeArgs, join(process.env.LOGSHIP_DIST ?? join(ROOT, 'dist'), 'cli.js'), 'run', '--once', '-c', cfg]
  }
  return ['bash', here(`./peers/${peer}.sh`), LOG, String(port), dir]
}

async function measure(peer, round) {
  const dir = join(WORK, 'run', `${peer}-${round}`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  await sinkReset()
  await new Promise((resolve, reject) =>
    createReadStream(LOG)
      .on('data', () => {})
      .on('end', resolve)
      .on('error', reject),
  ) // warm the page cache
  const timeFile = join(dir, 'time.txt')
  const startedAt = Date.now()
  const child = spawn(TIME, ['-f', '%e %U %S %M', '-o', timeFile, ...command(peer, dir)], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += d))
  const exited = new Promise((resolve) => child.on('exit', resolve))
  let done = false
  exited.then(() => (done = true))
  let s = await sinkStats()
  while (s.docs < N && !done && Date.now() - startedAt < TIMEOUT_MS) {
    await new Promise((r) => setTimeout(r, 100))
    s = await sinkStats()
  }
  if (s.docs < N) s = await sinkStats()
  // Stop the daemons (and logship, if it timed out): signal the process /usr/bin/time runs, so
  // that time itself lives on to report its CPU and peak RSS.
  if (!done) for (const pid of childrenOf(child.pid)) process.kill(pid, 'SIGTERM')
  await exited
  const [wall, user, sys, maxKb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number) // "Command terminated by signal" may come first
  const seconds = ((s.lastBulkAt || Date.now()) - startedAt) / 1000
  return {
    peer,
    round,
    docs: s.docs,
    requests: s.requests,
    seconds: +seconds.toFixed(2),
    linesPerSec: Math.round(s.docs / seconds),
    MBPerSec: +((logBytes * (s.docs / N)) / seconds / 1e6).toFixed(1),
    cpuSeconds: +(user + sys).toFixed(2),
    peakRssMB: Math.round(maxKb / 1024),
    processWallSeconds: wall,
    ok: s.docs >= N,
    stderr: s.docs >= N ? undefined : stderr.slice(-2000),
    memoryPeaks: stderr.split('\n').filter((l) => l.startsWith('memory-peaks')), // LOGSHIP_NODE_ARGS=--import=bench/profiles/memory-peaks.mjs
  }
}

// The ceiling: its own clock (from the first POST to the last reply, the bodies built before),
// checked against the sink's count.
async function measureCeiling(round) {
  await sinkReset()
  const r = spawnSync(process.execPath, [here('./sink-ceiling.mjs'), LOG, String(port)], { encoding: 'utf8', maxBuffer: 1 << 20 })
  const s = await sinkStats()
  const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}')
  return {
    peer: 'sink ceiling',
    round,
    docs: s.docs,
    requests: s.requests,
    seconds: +out.seconds.toFixed(2),
    linesPerSec: out.docsPerSec,
    MBPerSec: +((logBytes * (s.docs / N)) / out.seconds / 1e6).toFixed(1),
    cpuSeconds: +out.cpuSeconds.toFixed(2),
    peakRssMB: Number.NaN,
    ok: s.docs >= N && r.status === 0,
    stderr: r.stderr,
  }
}

const results = []
const measured = CEILING ? [...PEERS, 'sink ceiling'] : PEERS
for (let round = 1; round <= REPEAT; round++) {
  for (const peer of measured) {
    const r = peer === 'sink ceiling' ? await measureCeiling(round) : await measure(peer, round)
    results.push(r)
    console.error(
      `${peer} #${round}: ${r.docs} docs in ${r.seconds} s (${r.linesPerSec} lines/s), CPU ${r.cpuSeconds} s, peak RSS ${r.peakRssMB} MB${r.ok ? '' : ` — INCOMPLETE\n${r.stderr}`}${r.memoryPeaks?.length ? `\n  ${r.memoryPeaks.join('\n  ')}` : ''}`,
    )
  }
}
sink.kill()

const median = (peer) => {
  const runs = results.filter((r) => r.peer === peer).sort((a, b) => a.linesPerSec - b.linesPerSec)
  return {
    ...runs[Math.floor(runs.length / 2)],
    range: `${runs[0].linesPerSec.toLocaleString('en-US')}–${runs.at(-1).linesPerSec.toLocaleString('en-US')}`,
    okRuns: runs.filter((r) => r.ok).length,
    runs: runs.length,
  }
}
const rows = measured.map(median)
const base = rows.find((r) => r.peer === 'syslog-ng')
const ceiling = rows.find((r) => r.peer === 'sink ceiling')
const cpu = os.cpus()
console.log(`# tail mode benchmark — ${new Date().toISOString()}`)
console.log(
  `${cpu.length} cores (${cpu[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}, load average at the end ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
)
console.log(
  `${N.toLocaleString('en-US')} nginx access log lines (${(logBytes / 1e6).toFixed(1)} MB) → local _bulk sink (bench/elasticsearch/sink.mjs), no compression; median of ${REPEAT} run(s) by lines/s\n`,
)
console.log(
  '| shipper | docs | seconds | lines/s | MB/s | CPU s | CPU s per million lines | peak RSS MB | lines/s vs syslog-ng | % of the sink ceiling | runs ok | lines/s range |',
)
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|')
for (const r of rows) {
  const ratio = base ? `${(r.linesPerSec / base.linesPerSec).toFixed(2)}x` : '–'
  const share = ceiling && r !== ceiling ? `${Math.round((r.linesPerSec / ceiling.linesPerSec) * 100)}%` : '–'
  const perMillion = r.docs ? (r.cpuSeconds / (r.docs / 1e6)).toFixed(2) : '–'
  const rss = Number.isNaN(r.peakRssMB) ? '–' : r.peakRssMB
  console.log(
    `| ${r.peer} | ${r.docs} | ${r.seconds} | ${r.linesPerSec.toLocaleString('en-US')} | ${r.MBPerSec} | ${r.cpuSeconds} | ${perMillion} | ${rss} | ${ratio} | ${share} | ${r.okRuns}/${r.runs} | ${r.range} |`,
  )
}
if (ceiling) console.log("\n(sink ceiling: seconds and CPU are the client's own, from the first POST to the last reply, bodies built beforehand)")
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true })
writeFileSync(join(ROOT, 'bench', 'results', `tail-${new Date().toISOString().slice(0, 10)}.json`), JSON.stringify({ N, logBytes, results }, null, 2))
