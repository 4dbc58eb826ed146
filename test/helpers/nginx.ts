import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { freePort, untilAccepting } from './ports.js'
import { binary } from './system-software.js'
import { get } from './access-log.js'
import { waitFor } from './wait.js'

/**
 * A real nginx (the Debian package's binary) serving a temp directory on 127.0.0.1 and
 * [::1], in the foreground without a master process, writing its logs into `dir/logs`.
 */
export interface NginxServer {
  port: number
  accessLog: string
  timedLog: string
  errorLog: string
  stop(): Promise<void>
}

export async function startNginx(dir: string): Promise<NginxServer> {
  const port = await freePort()
  for (const sub of ['logs', 'html', 'tmp']) mkdirSync(join(dir, sub), { recursive: true })
  writeFileSync(join(dir, 'html', 'index.html'), '<h1>ok</h1>\n')
  const logs = join(dir, 'logs')
  writeFileSync(
    join(dir, 'nginx.conf'),
    `
daemon off;
master_process off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(logs, 'error.log')} info;
events { worker_connections 64; }
http {
  client_body_temp_path ${join(dir, 'tmp')};
  proxy_temp_path ${join(dir, 'tmp')};
  fastcgi_temp_path ${join(dir, 'tmp')};
  uwsgi_temp_path ${join(dir, 'tmp')};
  scgi_temp_path ${join(dir, 'tmp')};
  log_format timed '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for" $request_time';
  server {
    listen 127.0.0.1:${port};
    listen [::1]:${port};
    root ${join(dir, 'html')};
    access_log ${join(logs, 'access.log')};
    access_log ${join(logs, 'timed.log')} timed;
    location /private/ { auth_basic "private"; auth_basic_user_file ${join(dir, 'htpasswd')}; }
  }
}
`,
  )
  // user "alice", password "secret" (apr1 hash made with openssl passwd -apr1 -salt abcdefgh secret)
  writeFileSync(join(dir, 'htpasswd'), 'alice:$apr1$abcdefgh$h9FWgUz3n9YxylKLlR5SQ/\n')
  const stop = await spawnNginx(dir, port)
  return {
    port,
    accessLog: join(logs, 'access.log'),
    timedLog: join(logs, 'timed.log'),
    errorLog: join(logs, 'error.log'),
    stop,
  }
}

/**
 * A real nginx writing `dir/logs/access.log` with `logFormat` (the `log_format` string) for
 * requests it proxies to a second server of its own, so that the upstream variables have values.
 * `http` is more of the http block, such as a `map` that makes a variable the format uses.
 * The document root holds `index.html` (3 bytes). Returns once a GET / through the proxy is
 * answered 200: that request is the first line of the access log.
 */
export async function startNginxWithLogFormat(
  dir: string,
  logFormat: string,
  http = '',
): Promise<{ port: number; upstreamPort: number; accessLog: string; stop(): Promise<void> }> {
  for (const sub of ['logs', 'html', 'tmp']) mkdirSync(join(dir, sub), { recursive: true })
  writeFileSync(join(dir, 'html', 'index.html'), 'ok\n')
  const port = await freePort()
  const upstreamPort = await freePort()
  const t = join(dir, 'tmp')
  const accessLog = join(dir, 'logs', 'access.log')
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
master_process off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'logs', 'error.log')} info;
events { worker_connections 64; }
http {
  client_body_temp_path ${t}; proxy_temp_path ${t}; fastcgi_temp_path ${t}; uwsgi_temp_path ${t}; scgi_temp_path ${t};
  ${http}
  log_format custom '${logFormat}';
  server { listen 127.0.0.1:${upstreamPort}; root ${join(dir, 'html')}; access_log off; }
  server {
    listen 127.0.0.1:${port};
    access_log ${accessLog} custom;
    location / { proxy_pass http://127.0.0.1:${upstreamPort}; }
  }
}
`,
  )
  const stop = await spawnNginx(dir, port)
  await waitFor(async () => (await get(port, '/').catch(() => 0)) === 200, 'nginx to answer through its proxy')
  return { port, upstreamPort, accessLog, stop }
}

/** Starts nginx on `dir/nginx.conf` and waits until it accepts on `port`; returns how to stop it. */
async function spawnNginx(dir: string, port: number): Promise<() => Promise<void>> {
  // Debian puts it in /usr/sbin, which is not on every user's PATH.
  const child: ChildProcess = spawn(binary('nginx'), ['-p', dir, '-e', join(dir, 'logs', 'startup.log'), '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await untilAccepting(port, child, 'nginx', () => stderr)
  return async () => {
    if (child.exitCode === null) child.kill('SIGQUIT')
    await exited
  }
}
