// npm run bench:es — logship's elasticsearch output against pino-elasticsearch,
// winston-elasticsearch and the @elastic/elasticsearch bulk helper, each shipping the same
// N lines (one document per line) to the same local bulk sink, in the same run; then the
// sink-down test (sink gone for 30 s while the app writes 20,000 events/s).
// Env: N (1000000), PEERS, REPEAT (1), DOWN=0 to skip the sink-down test, DOWN_PEERS.
// Prints markdown tables and writes raw JSON to bench/results/.
import { fork, spawn, execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import { fileURLToPath } from 'node:url'

const here = (p) => fileURLToPath(new URL(p, import.meta.url))
const N = Number(process.env.N ?? 1_000_000)
const REPEAT = Number(process.env.REPEAT ?? 1)
const PEERS = (process.env.PEERS ?? 'logship logship-gzip es-bulk-helper es-bulk-helper-gzip pino-es winston-es').split(/\s+/).filter(Boolean)
const DOWN_PEERS = (process.env.DOWN_PEERS ?? 'logship es-bulk-helper pino-es winston-es').split(/\s+/).filter(Boolean)
const TIMEOUT_S = Number(process.env.TIMEOUT_S ?? 400)
const TICK = 100 // clock ticks per second in /proc/<pid>/stat (USER_HZ on Linux)

installPeers()
const linesFile = here(`./.data/lines-${N}.txt`)
if (!fs.existsSync(linesFile)) {
  fs.mkdirSync(here('./.data'), { recursive: true })
  execFileSync(process.execPath, [here('./gen-lines.mjs'), String(N), linesFile], { stdio: 'inherit' })
}
const inputBytes = fs.statSync(linesFile).size
const sink = await startSink()
const results = []
const machine = `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`
console.log(`# logship elasticsearch benchmark — ${new Date().toISOString()} — ${machine} — N=${N.toLocaleString('en-US')} lines (${(inputBytes / 1e6).toFixed(1)} MB)\n`)

for (let r = 0; r < REPEAT; r++) {
  for (const peer of PEERS) {
    const result = await measure(peer, { LINES_FILE: linesFile })
    results.push(result)
    console.error(JSON.stringify(result))
  }
}
printThroughput(results)
console.log(
  `\nload average at the end: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
)

const down = []
if (process.env.DOWN !== '0') {
  for (const peer of DOWN_PEERS) {
    const result = await measureDown(peer)
    down.push(result)
    console.error(JSON.stringify(result))
  }
  printDown(down)
}
fs.mkdirSync(here('../results'), { recursive: true })
const out = here(`../results/elasticsearch-${new Date().toISOString().replace(/[:.]/g, '-')}.json`)
fs.writeFileSync(out, JSON.stringify({ machine, N, inputBytes, results, down }, null, 2))
console.log(`\nraw results: ${out}`)
sink.child.disconnect()

// ---- running ---------------------------------------------------------------------------

function script(peer) {
  const base = peer.replace(/-gzip$/, '')
  return { file: here(`./peers/${base}.mjs`), gzip: peer.endsWith('-gzip') }
}

/** Ships the whole file; time = from spawn to the sink accepting the N-th document. */
async function measure(peer, env) {
  await sink.call({ type: 'reset' })
  const { file, gzip } = script(peer)
  const t0 = Date.now()
  const child = spawn(process.execPath, [file], { env: { ...process.env, ...env, SINK_URL: sink.url, COMPRESSION: gzip ? 'gzip' : 'none' }, stdio: ['ignore', 'ignore', 'pipe'] })
  const watch = watchProcess(child)
  let stats
  let status = 'ok'
  for (;;) {
    stats = await sink.call({ type: 'stats' })
    if (stats.docs >= N) break
    if (watch.exited && Date.now() - watch.exitedAt > 3000) {
      status = `exited (${watch.code}) at ${stats.docs} docs`
      break
    }
    if (Date.now() - t0 > TIMEOUT_S * 1000) {
      status = `timeout at ${stats.docs} docs`
      break
    }
    await sleep(100)
  }
  const seconds = ((stats.lastBulkAt || Date.now()) - t0) / 1000
  await watch.stop(20_000)
  return {
    peer,
    docs: stats.docs,
    seconds: +seconds.toFixed(2),
    eventsPerSec: Math.round(stats.docs / seconds),
    MBPerSec: +((inputBytes * (stats.docs / N)) / seconds / 1e6).toFixed(1),
    peakRssMB: watch.peakRssMB(),
    cpuSeconds: watch.cpuSeconds(),
    bulks: stats.requests,
    wireMB: +(stats.wireBytes / 1e6).toFixed(1),
    bodyMB: +(stats.bytes / 1e6).toFixed(1),
    status,
    stderr: watch.stderr().slice(-500),
  }
}

/** The app writes 20,000 events/s for 45 s; the sink is gone from 5 s to 35 s. */
async function measureDown(peer) {
  await sink.call({ type: 'reset' })
  const { file } = script(peer)
  const child = spawn(process.execPath, [file], {
    env: { ...process.env, LINES_FILE: linesFile, SINK_URL: sink.url, RATE: '20000', DURATION_S: '45', COMPRESSION: 'none' },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  const watch = watchProcess(child)
  await sleep(5000)
  const before = watch.rssMB()
  await sink.call({ type: 'down', ms: 30_000 }, 'up')
  const t0 = Date.now()
  // after the producer stops (45 s), give each peer up to 60 s more to catch up and exit
  while (!watch.exited && Date.now() - t0 < 70_000) await sleep(200)
  const stats = await sink.call({ type: 'stats' })
  await watch.stop(5000)
  return {
    peer,
    written: 20_000 * 45,
    delivered: stats.docs,
    rssBeforeDownMB: before,
    peakRssMB: watch.peakRssMB(),
    cpuSeconds: watch.cpuSeconds(),
    exitCode: watch.code,
    stderr: watch.stderr().slice(-400),
  }
}

/** Samples peak RSS (VmHWM) and CPU of a child from /proc until it exits. */
function watchProcess(child) {
  let peakKB = 0
  let rssKB = 0
  let ticks = 0
  let err = ''
  const state = { exited: false, exitedAt: 0, code: null }
  child.stderr.on('data', (d) => (err = (err + d).slice(-4000)))
  const sample = () => {
    try {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8')
      peakKB = Math.max(peakKB, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0))
      rssKB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
      const fields = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ')
      ticks = Number(fields[11]) + Number(fields[12])
    } catch {
      // gone
    }
  }
  const timer = setInterval(sample, 50)
  const exit = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      clearInterval(timer)
      Object.assign(state, { exited: true, exitedAt: Date.now(), code: code ?? signal })
      resolve()
    }),
  )
  return Object.assign(state, {
    peakRssMB: () => +(peakKB / 1024).toFixed(1),
    rssMB: () => +(rssKB / 1024).toFixed(1),
    cpuSeconds: () => +(ticks / TICK).toFixed(2),
    stderr: () => err,
    async stop(graceMs) {
      sample()
      if (!state.exited) await Promise.race([exit, sleep(graceMs)])
      if (!state.exited) {
        sample()
        child.kill('SIGKILL')
        await exit
      }
    },
  })
}

async function startSink() {
  const child = fork(here('./sink.mjs'), [], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] })
  const port = await new Promise((resolve) =>
    child.stdout.on('data', (d) => {
      const m = /PORT (\d+)/.exec(String(d))
      if (m) resolve(Number(m[1]))
    }),
  )
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    call(message, replyType = message.type) {
      return new Promise((resolve) => {
        if (message.type === 'reset') {
          child.send(message)
          return resolve()
        }
        const onMessage = (m) => {
          if (m.type !== replyType) return
          child.off('message', onMessage)
          resolve(m)
        }
        child.on('message', onMessage)
        child.send(message)
      })
    },
  }
}

function installPeers() {
  const dir = here('./.peers')
  if (fs.existsSync(`${dir}/node_modules/winston-elasticsearch/package.json`)) return
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(`${dir}/package.json`, JSON.stringify({ name: 'logship-bench-peers', private: true }))
  console.error('installing the peers into bench/elasticsearch/.peers ...')
  execFileSync(
    'npm',
    [
      'install',
      '--prefix',
      dir,
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      'pino@10',
      'pino-elasticsearch@9',
      'winston@3',
      'winston-elasticsearch@0.19',
      '@elastic/elasticsearch@8',
    ],
    { stdio: 'inherit' },
  )
}

function versions() {
  const v = (p) => JSON.parse(fs.readFileSync(here(`./.peers/node_modules/${p}/package.json`), 'utf8')).version
  return ['pino', 'pino-elasticsearch', 'winston', 'winston-elasticsearch', '@elastic/elasticsearch'].map((p) => `${p} ${v(p)}`).join(', ')
}

// ---- reporting -------------------------------------------------------------------------

function median(rows) {
  const sorted = [...rows].sort((a, b) => a.eventsPerSec - b.eventsPerSec)
  return sorted[Math.floor(sorted.length / 2)]
}

function printThroughput(rows) {
  const byPeer = new Map()
  for (const r of rows) byPeer.set(r.peer, [...(byPeer.get(r.peer) ?? []), r])
  const best = new Map([...byPeer].map(([p, rs]) => [p, median(rs)]))
  const logship = best.get('logship')
  console.log(`Peers: ${versions()}\n`)
  console.log(
    '| shipper | compression | docs | seconds | events/s | MB/s (raw lines) | peak RSS MB | CPU s | CPU s per million events | bulks | on the wire MB | logship ÷ this (events/s) | status |',
  )
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|')
  for (const [peer, r] of best) {
    const ratio = logship && peer !== 'logship' ? (logship.eventsPerSec / r.eventsPerSec).toFixed(2) : '–'
    console.log(
      `| ${peer.replace(/-gzip$/, '')} | ${peer.endsWith('-gzip') ? 'gzip' : 'off'} | ${r.docs.toLocaleString('en-US')} | ${r.seconds} | ${r.eventsPerSec.toLocaleString('en-US')} | ${r.MBPerSec} | ${r.peakRssMB} | ${r.cpuSeconds} | ${r.docs ? (r.cpuSeconds / (r.docs / 1e6)).toFixed(2) : '–'} | ${r.bulks} | ${r.wireMB} | ${ratio} | ${r.status} |`,
    )
  }
  if (REPEAT > 1) console.log(`\n(median of ${REPEAT} runs by events/s)`)
}

function printDown(rows) {
  console.log('\n## Sink down for 30 s while the app writes 20,000 events/s for 45 s\n')
  console.log('| shipper | events written | delivered after recovery | RSS before the outage MB | peak RSS MB | CPU s | exit |')
  console.log('|---|---:|---:|---:|---:|---:|---|')
  for (const r of rows)
    console.log(
      `| ${r.peer} | ${r.written.toLocaleString('en-US')} | ${r.delivered.toLocaleString('en-US')} | ${r.rssBeforeDownMB} | ${r.peakRssMB} | ${r.cpuSeconds} | ${r.exitCode} |`,
    )
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms))
}
