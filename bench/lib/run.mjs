// Helpers shared by the benchmarks: start a sink process, run a measured child, machine info.
import { spawn } from 'node:child_process'
import os from 'node:os'

export function startProcess(script, args = []) {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
      const m = /PORT (\d+)/.exec(out)
      if (m) resolve({ port: Number(m[1]), child, stop: () => child.kill('SIGKILL') })
    })
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)))
  })
}

/** Runs a node script that prints one JSON line of results on stdout; returns it parsed. */
export function runJson(script, args = [], env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop()
      try {
        resolve(JSON.parse(line))
      } catch {
        reject(new Error(`${script} exited with ${code} and printed: ${out}`))
      }
    })
  })
}

export function machine() {
  return `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`
}

export function usage(startCpu) {
  const cpu = process.cpuUsage(startCpu)
  return { cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }
}

/** A realistic application log event (~300 bytes as JSON), varied per index. */
export function sampleEvent(i) {
  return {
    level: i % 50 === 0 ? 'warn' : 'info',
    msg: 'request completed',
    time: 1764000000000 + i,
    pid: 4242,
    hostname: 'web-1',
    reqId: `req-${i}`,
    req: { method: i % 7 === 0 ? 'POST' : 'GET', url: `/api/orders/${i % 1000}?page=${i % 13}`, remoteAddress: `10.0.${i % 255}.${i % 7}` },
    res: { statusCode: i % 97 === 0 ? 500 : 200 },
    responseTime: (i % 1000) / 10,
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
  }
}
