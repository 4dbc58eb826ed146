import type { ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'

/** A port nothing listens on right now (for "connection refused" cases and servers started later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** The port a child server announces on stdout with a `PORT <n>` line; rejects if it exits first. */
export function announcedPort(child: ChildProcess, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d
      const m = /PORT (\d+)/.exec(out)
      if (m) resolve(Number(m[1]))
    })
    child.on('exit', (code) => reject(new Error(`${what} exited with ${code}`)))
  })
}
