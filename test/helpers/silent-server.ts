import { createServer, type Socket } from 'node:net'
import { onTestFinished } from 'vitest'

/**
 * An HTTP output that accepts connections, reads what is sent and never answers: a sink
 * that is up but stuck. Closed when the test finishes.
 */
export async function silentServer(): Promise<{ url: string; received: () => number }> {
  const sockets: Socket[] = []
  let bytes = 0
  const server = createServer((s) => {
    sockets.push(s)
    s.on('data', (d) => (bytes += d.length))
    s.on('error', () => {})
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  onTestFinished(() => {
    for (const s of sockets) s.destroy()
    server.close()
  })
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/ingest`, received: () => bytes }
}
