import { describe, expect, it } from 'vitest'
import { execFileSync, spawn } from 'node:child_process'
import { closeSync, constants, mkdtempSync, openSync } from 'node:fs'
import { Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { waitFor } from '../helpers/wait.js'

const SCRIPT = fileURLToPath(new URL('../fixtures/child/console-to-pipe.mjs', import.meta.url))
const ROOT = fileURLToPath(new URL('../..', import.meta.url))

// `logship … | jq` with a slow reader: the pipe fills up (64 KiB) and a write of a batch stops
// part way (a short write, then EAGAIN). The console output cannot take back what reached the
// pipe, so it must finish the batch where it stopped: a retry from the start would print a
// torn line and the lines before it twice.
describe('console output into a pipe that fills up', () => {
  for (const thread of ['worker', 'main'] as const) {
    it(`thread: ${thread}: every line whole, every event once, in order`, async () => {
      const count = 3000
      // a real pipe (a FIFO), as a shell's `|` makes: spawn's own stdio pipes are socket pairs
      const fifo = join(mkdtempSync(join(tmpdir(), 'logship-pipe-')), 'stdout')
      execFileSync('mkfifo', [fifo])
      const readFd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK)
      const writeFd = openSync(fifo, constants.O_WRONLY)
      const child = spawn(process.execPath, [SCRIPT, JSON.stringify({ count, thread })], { cwd: ROOT, stdio: ['ignore', writeFd, 'pipe'] })
      closeSync(writeFd)
      let stderr = ''
      child.stderr!.setEncoding('utf8').on('data', (d: string) => {
        stderr += d
      })
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
      // nobody reads until the pipe is full and a write of the console output would block
      await waitFor(() => stderr.includes('FULL'), 'the child to be stuck on the full pipe', 20_000)
      const reader = new Socket({ fd: readFd, readable: true, writable: false })
      const chunks: Buffer[] = []
      reader.on('data', (d: Buffer) => chunks.push(d))
      const drained = new Promise<void>((resolve) => reader.on('end', resolve))
      expect(await exited).toBe(0)
      await drained
      const lines = Buffer.concat(chunks).toString('utf8').split('\n')
      expect(lines.pop()).toBe('')
      const torn = lines.filter((l) => {
        try {
          JSON.parse(l)
          return false
        } catch {
          return true
        }
      })
      expect(torn.map((l) => l.slice(0, 80))).toEqual([])
      expect(lines.map((l) => (JSON.parse(l) as { n: number }).n)).toEqual(Array.from({ length: count }, (_, n) => n))
      const stats = JSON.parse(/STATS (.*)/.exec(stderr)![1]!) as { acked: number; failed: number }
      expect(stats).toMatchObject({ acked: count, failed: 0 })
      // a full pipe is backpressure, not an error
      expect(stderr).not.toMatch(/ERROR/)
    })
  }
})
