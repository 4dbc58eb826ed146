import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { waitFor } from './wait.js'
import { binary } from './system-software.js'

/**
 * A real MariaDB server (the Debian package's binaries) with its own data directory, on
 * 127.0.0.1 and a socket in `dir`, writing its error log and a slow query log that records
 * every statement (`long_query_time=0`) into `dir/logs`. No system service is involved.
 */
export interface MariaDb {
  errorLog: string
  slowLog: string
  /** Runs SQL through the `mariadb` client on the server's socket; returns its output. */
  sql(statements: string): string
  stop(): Promise<void>
}

export async function startMariaDb(dir: string): Promise<MariaDb> {
  const logs = join(dir, 'logs')
  mkdirSync(logs, { recursive: true })
  const data = join(dir, 'data')
  const socket = join(dir, 'mariadb.sock')
  // --user=root: the tests run as root, and mariadbd refuses root unless told so
  execFileSync(binary('mariadb-install-db'), ['--no-defaults', `--datadir=${data}`, '--user=root', '--skip-test-db', '--auth-root-authentication-method=normal'], {
    stdio: 'ignore',
  })
  const errorLog = join(logs, 'error.log')
  const slowLog = join(logs, 'slow.log')
  const child: ChildProcess = spawn(
    binary('mariadbd'),
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--socket=${socket}`,
      '--skip-networking',
      '--user=root',
      `--pid-file=${join(dir, 'mariadb.pid')}`,
      `--log-error=${errorLog}`,
      '--slow-query-log=1',
      `--slow-query-log-file=${slowLog}`,
      '--long-query-time=0',
      '--skip-name-resolve',
    ],
    { stdio: 'ignore' },
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const sql = (statements: string): string => execFileSync(binary('mariadb'), ['--no-defaults', '-S', socket, '-u', 'root', '-e', statements], { encoding: 'utf8' })
  await waitFor(
    () => {
      try {
        sql('SELECT 1')
        return true
      } catch {
        if (child.exitCode !== null) throw new Error(`mariadbd exited with ${child.exitCode}; see ${errorLog}`)
        return false
      }
    },
    'MariaDB to accept connections',
    30_000,
    100,
  )
  return {
    errorLog,
    slowLog,
    sql,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}
