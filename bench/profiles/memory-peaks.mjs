// LOGSHIP_NODE_ARGS=--import=bench/profiles/memory-peaks.mjs: samples process.memoryUsage() and the
// V8 heap spaces of each thread (the worker inherits --import) every 20 ms and prints each
// thread's peaks to stderr when it ends.
import { isMainThread } from 'node:worker_threads'
import v8 from 'node:v8'
import { writeSync } from 'node:fs'

const peak = {}
const mb = (n) => Math.round(n / 2 ** 20)
function sample() {
  const m = process.memoryUsage()
  for (const k of ['rss', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers']) peak[k] = Math.max(peak[k] ?? 0, m[k])
  for (const s of v8.getHeapSpaceStatistics()) peak[s.space_name] = Math.max(peak[s.space_name] ?? 0, s.space_size)
}
setInterval(sample, 20).unref()
const report = () => {
  sample()
  const spaces = Object.entries(peak).filter(([k]) => k.endsWith('_space') && peak[k] >= 2 ** 20)
  // writeSync: a worker's process.stderr is piped through the main thread and lost at exit
  writeSync(
    2,
    `memory-peaks ${isMainThread ? 'main' : 'worker'}: ${['rss', 'heapTotal', 'heapUsed', 'external', 'arrayBuffers'].map((k) => `${k} ${mb(peak[k])}`).join(', ')}; ${spaces.map(([k, v]) => `${k} ${mb(v)}`).join(', ')} (MB)\n`,
  )
}
process.on('exit', report)
// a worker ended by terminate() hears no 'exit': it reports every second as well
if (!isMainThread) setInterval(report, 1000).unref()
