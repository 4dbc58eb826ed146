import { spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, untilAccepting } from './ports.js'
import { binary } from './system-software.js'

/**
 * A real apache (Debian's apache2-bin: the binary and its modules, no site config) serving
 * a one-file document root on 127.0.0.1 in the foreground, writing its access log with `logFormat`.
 */
export interface ApacheServer {
  port: number
  accessLog: string
  stop(): Promise<void>
}

const MODULES = '/usr/lib/apache2/modules'

export async function startApache(dir: string, logFormat: string): Promise<ApacheServer> {
  const port = await freePort()
  mkdirSync(join(dir, 'logs'), { recursive: true })
  // As root apache serves as `nobody`, who must be able to reach the document root: under
  // /tmp, not under the checkout, whose parent directories may be closed to other users.
  const html = mkdtempSync(join(tmpdir(), 'logship-apache-html-'))
  chmodSync(html, 0o755)
  writeFileSync(join(html, 'index.html'), 'ok\n', { mode: 0o644 })
  const accessLog = join(dir, 'logs', 'access.log')
  writeFileSync(
    join(dir, 'apache.conf'),
    `ServerRoot ${dir}
ServerName 127.0.0.1
Listen 127.0.0.1:${port}
LoadModule mpm_event_module ${MODULES}/mod_mpm_event.so
LoadModule authz_core_module ${MODULES}/mod_authz_core.so
PidFile ${join(dir, 'apache.pid')}
DefaultRuntimeDir ${dir}
Mutex file:${dir} default
ErrorLog ${join(dir, 'logs', 'error.log')}
DocumentRoot ${html}
User nobody
Group nogroup
LogFormat "${logFormat.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}" custom
CustomLog ${accessLog} custom
`,
  )
  const child: ChildProcess = spawn(binary('apache2'), ['-f', join(dir, 'apache.conf'), '-DFOREGROUND'], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await untilAccepting(port, child, 'apache', () => stderr)
  return {
    port,
    accessLog,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
      rmSync(html, { recursive: true, force: true })
    },
  }
}
