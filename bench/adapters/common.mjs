// Shared pieces of the adapter benchmarks.
import { writeSync } from 'node:fs'

/** The fields of a typical request log call (~300 bytes once pino adds level/time/pid/hostname/msg). */
export function appFields(i) {
  return {
    reqId: `req-${i}`,
    req: { method: i % 7 === 0 ? 'POST' : 'GET', url: `/api/orders/${i % 1000}?page=${i % 13}`, remoteAddress: `10.0.${i % 255}.${i % 7}` },
    res: { statusCode: i % 97 === 0 ? 500 : 200 },
    responseTime: (i % 1000) / 10,
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
  }
}

export const FIELDS = Array.from({ length: 10_000 }, (_, i) => appFields(i))

export function usage(cpu0) {
  const cpu = process.cpuUsage(cpu0)
  return { cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2), peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }
}

export async function sinkStats(port) {
  return (await fetch(`http://127.0.0.1:${port}/_sink/stats`)).json()
}

/** Polls the sink until it has `n` documents; returns seconds since `start` (performance.now()). */
export async function waitForDocs(port, n, start, timeoutMs = 600_000) {
  for (;;) {
    const s = await sinkStats(port)
    if (s.docs >= n) return (performance.now() - start) / 1000
    if (performance.now() - start > timeoutMs) throw new Error(`sink has ${s.docs} of ${n} docs after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Prints the result line and ends the process at once (some peers take 10 s to close). */
export function report(result) {
  writeSync(1, `${JSON.stringify(result)}\n`)
  process.kill(process.pid, 'SIGKILL')
}
