import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { onTestFinished } from 'vitest'
import { waitFor } from './wait.js'
import { findBinary } from './system-software.js'
import { freePort } from './ports.js'

const NGINX = findBinary('nginx') ?? 'nginx'
export const LOGROTATE = findBinary('logrotate') ?? 'logrotate'

/** A real nginx (Debian package) in the foreground, on 127.0.0.1, logging to `dir/logs/access.log`. */
export async function startNginx(dir: string): Promise<{ port: number; accessLog: string; pidFile: string; process: ChildProcess }> {
  const port = await freePort()
  const logs = join(dir, 'logs')
  mkdirSync(logs, { recursive: true })
  mkdirSync(join(dir, 'temp'), { recursive: true })
  const accessLog = join(logs, 'access.log')
  const pidFile = join(dir, 'nginx.pid')
  const conf = join(dir, 'nginx.conf')
  writeFileSync(
    conf,
    `daemon off;
worker_processes 1;
pid ${pidFile};
error_log ${join(logs, 'error.log')} warn;
events { worker_connections 256; }
http {
  access_log ${accessLog} combined;
  client_body_temp_path ${dir}/temp/body;
  proxy_temp_path ${dir}/temp/proxy;
  fastcgi_temp_path ${dir}/temp/fastcgi;
  uwsgi_temp_path ${dir}/temp/uwsgi;
  scgi_temp_path ${dir}/temp/scgi;
  server {
    listen 127.0.0.1:${port};
    location / { return 200 "ok\\n"; }
  }
}
`,
  )
  const child = spawn(NGINX, ['-p', dir, '-c', conf], { stdio: ['ignore', 'inherit', 'inherit'] })
  onTestFinished(() => {
    child.kill('SIGQUIT')
    setTimeout(() => child.kill('SIGKILL'), 2000).unref()
  })
  await waitFor(async () => {
    try {
      return (await fetch(`http://127.0.0.1:${port}/ready`)).ok
    } catch {
      return false
    }
  }, 'nginx to answer')
  return { port, accessLog, pidFile, process: child }
}

/** `logrotate -f` with its own state file: `mode` is `create` (rename + reopen) or `copytruncate`. */
export function logrotate(dir: string, accessLog: string, pidFile: string, mode: 'create' | 'copytruncate'): void {
  const conf = join(dir, `logrotate-${mode}.conf`)
  const postrotate = mode === 'create' ? `  postrotate\n    kill -USR1 $(cat ${pidFile})\n  endscript\n` : ''
  writeFileSync(conf, `${accessLog} {\n  rotate 5\n  nocompress\n  missingok\n  ${mode}\n${postrotate}}\n`, { mode: 0o644 })
  execFileSync(LOGROTATE, ['-f', '-s', join(dir, 'logrotate.state'), conf], { stdio: 'inherit' })
}

/** Sends `n` requests to /r/<first + i>, a few at a time. */
export async function load(port: number, first: number, n: number, concurrency = 8): Promise<void> {
  let next = first
  const end = first + n
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < end) {
        const id = next++
        const res = await fetch(`http://127.0.0.1:${port}/r/${id}`)
        await res.text()
      }
    }),
  )
}
