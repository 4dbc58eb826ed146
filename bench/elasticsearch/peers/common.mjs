// Shared by the peer scripts: the lines to ship (from the file, or made at a fixed rate for the
// sink-down test), the document every peer ships, and loading bench-only packages from .peers/.
import { createRequire } from 'node:module'
import fs from 'node:fs'
import readline from 'node:readline'
import { fileURLToPath } from 'node:url'

export const peerRequire = createRequire(fileURLToPath(new URL('../.peers/package.json', import.meta.url)))
export const { SINK_URL, LINES_FILE } = process.env
export const RATE = Number(process.env.RATE ?? 0) // events/s for the sink-down test; 0 = as fast as possible
export const DURATION_S = Number(process.env.DURATION_S ?? 0)
export const COMPRESSION = process.env.COMPRESSION === 'gzip'

/** Every peer ships the same document per line. */
export function doc(line) {
  return { '@timestamp': new Date().toISOString(), host: 'bench', message: line }
}

/** The input lines: the whole file as fast as the consumer takes them, or RATE lines/s for DURATION_S. */
export async function* lines() {
  if (!RATE) {
    yield* readline.createInterface({ input: fs.createReadStream(LINES_FILE, { highWaterMark: 1 << 20 }), crlfDelay: Infinity })
    return
  }
  const head = Buffer.alloc(4 << 20)
  const fd = fs.openSync(LINES_FILE, 'r')
  const got = fs.readSync(fd, head, 0, head.length, 0)
  fs.closeSync(fd)
  const sample = head.toString('utf8', 0, got).split('\n').slice(0, 10_000)
  const start = Date.now()
  let sent = 0
  while (Date.now() - start < DURATION_S * 1000) {
    const due = Math.floor(((Date.now() - start) / 1000) * RATE)
    while (sent < due) yield sample[sent++ % sample.length]
    await new Promise((r) => setTimeout(r, 10))
  }
}

// never outlive the harness by much
setTimeout(() => process.exit(3), 900_000).unref()
