// npm run bench:redis — the Redis output against a naive ioredis RPUSH per event, same run,
// same events, same redis-server. Prints a markdown table (paste into docs/benchmarks.md).
//   N=200000 (events per run), ROUNDS=3. Needs redis-server (Debian package redis-server).
//   BASELINE=<path to an older build's dist/index.js, inside this checkout so it finds node_modules>
//   adds that build's stream run to the same table (before/after in one run).
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import os, { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import { runJson, machine } from '../lib/run.mjs'

const here = (p) => fileURLToPath(new URL(p, import.meta.url))
const N = Number(process.env.N ?? 200_000)
const ROUNDS = Number(process.env.ROUNDS ?? 3)

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** redis-server in a temp dir, no persistence (the bench measures the clients, not the disk). */
async function startRedis() {
  const dir = mkdtempSync(join(tmpdir(), 'logship-bench-redis-'))
  const port = await freePort()
  writeFileSync(join(dir, 'redis.conf'), `bind 127.0.0.1\nport ${port}\ndir ${dir}\nsave ''\nappendonly no\nlogfile ${join(dir, 'redis.log')}\n`)
  const child = spawn('redis-server', [join(dir, 'redis.conf')], { stdio: 'ignore' })
  const admin = new Redis({ port, host: '127.0.0.1', retryStrategy: (n) => (n > 100 ? null : 20) })
  // connection refused until redis-server listens: retried above, not worth printing
  admin.on('error', () => {})
  await admin.ping()
  return { port, admin, stop: () => (admin.disconnect(), child.kill('SIGTERM')) }
}

const loadAtStart = os.loadavg()
const redis = await startRedis()

async function run(client, env, check) {
  await redis.admin.flushall()
  const r = await runJson(here(`./clients/${client}.mjs`), [], { N: String(N), REDIS_PORT: String(redis.port), KEY: 'bench', ...env })
  const stored = check === 'stream' ? await redis.admin.xlen('bench') : await redis.admin.llen('bench')
  if (stored !== N) throw new Error(`${client}: redis holds ${stored} of ${N} events`)
  const mem = Number(/used_memory_peak:(\d+)/.exec(await redis.admin.info('memory'))?.[1] ?? 0)
  return { ...r, stored, redisPeakMB: Math.round(mem / 2 ** 20) }
}

const setups = [
  ['logship', 'list: RPUSH e1…eN per batch, MULTI/EXEC when several keys', 'Redis reply per batch', () => run('logship', { DATA_TYPE: 'list' }, 'list')],
  ['logship', 'stream: XADD per event, one pipeline per batch', 'Redis reply per XADD', () => run('logship', { DATA_TYPE: 'stream' }, 'stream')],
  ...(process.env.BASELINE
    ? [['logship, BASELINE build', 'stream: as that build sends it', 'Redis reply', () => run('logship', { DATA_TYPE: 'stream', LOGSHIP: process.env.BASELINE }, 'stream')]]
    : []),
  ['ioredis 6 (naive)', 'RPUSH per event, not awaited', 'only the last reply awaited', () => run('ioredis-naive', {}, 'list')],
  ['ioredis 6 (naive)', 'RPUSH per event, each awaited', 'every reply awaited', () => run('ioredis-naive', { AWAIT: '1' }, 'list')],
]
const results = setups.map(() => [])
for (let round = 0; round < ROUNDS; round++) {
  for (const [k, setup] of setups.entries()) results[k].push(await setup[3]())
}
redis.stop()

const median = (runs) => [...runs].sort((x, y) => x.eventsPerSec - y.eventsPerSec)[Math.floor((runs.length - 1) / 2)]
const fmt = (n) => n.toLocaleString('en-US')
const baseline = median(results[setups.findIndex((s) => s[1] === 'RPUSH per event, not awaited')]).eventsPerSec
const load = (values) => values.map((l) => l.toFixed(1)).join(' ')
console.log(
  `# Redis output benchmark — ${new Date().toISOString()} — ${machine()} — N=${N}, ${ROUNDS} rounds, load average ${load(loadAtStart)} at the start, ${load(os.loadavg())} at the end\n`,
)
console.log('| client | commands | acknowledgement | events/s (median) | MB/s | CPU s | peak RSS MB | rate vs naive (not awaited) | all runs, events/s |')
console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |')
for (const [k, [client, commands, ack]] of setups.entries()) {
  const m = median(results[k])
  console.log(
    `| ${client} | ${commands} | ${ack} | ${fmt(m.eventsPerSec)} | ${m.MBPerSec} | ${m.cpuSeconds.toFixed(2)} | ${m.peakRssMB} | ${(m.eventsPerSec / baseline).toFixed(2)}× | ${results[k].map((r) => fmt(r.eventsPerSec)).join(', ')} |`,
  )
}
