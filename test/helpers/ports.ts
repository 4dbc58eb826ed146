import type { ChildProcess } from 'node:child_process'
import { connect, createServer } from 'node:net'

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

/** Resolves once something accepts connections on `port`; throws with the server's stderr if `child` exits or 10 s pass first. */
export async function untilAccepting(port: number, child: ChildProcess, what: string, stderr: () => string): Promise<void> {
  for (let i = 0; ; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (ok) return
    if (child.exitCode !== null || i > 200) throw new Error(`${what} did not start: ${stderr()}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
