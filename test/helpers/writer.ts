import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { onTestFinished } from 'vitest'
import { waitFor } from './wait.js'

const SCRIPT = fileURLToPath(new URL('./line-writer.mjs', import.meta.url))

/** A child process appending `id=<n>` lines to `path` (see line-writer.mjs). */
export class LineWriter {
  readonly child: ChildProcess
  written = 0
  done = false

  constructor(path: string, total: number, linesPerSecond: number) {
    this.child = fork(SCRIPT, [path, String(total), String(linesPerSecond)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    this.child.on('message', (m: { written?: number; done?: number; paused?: number }) => {
      if (m.written !== undefined) this.written = m.written
      if (m.paused !== undefined) this.written = m.paused
      if (m.done !== undefined) this.done = true
    })
    onTestFinished(() => {
      this.child.kill('SIGKILL')
    })
  }

  reopen(): void {
    this.child.send('reopen')
  }

  /** Stops writing; resolves with how many lines were written. */
  pause(): Promise<number> {
    return new Promise((resolve) => {
      const onMessage = (m: { paused?: number }): void => {
        if (m.paused === undefined) return
        this.child.off('message', onMessage)
        resolve(m.paused)
      }
      this.child.on('message', onMessage)
      this.child.send('pause')
    })
  }

  resume(): void {
    this.child.send('resume')
  }

  async reach(lines: number): Promise<void> {
    await waitFor(() => this.written >= lines, `the writer to reach ${lines} lines (at ${this.written})`, 40_000)
  }

  async finished(): Promise<void> {
    await waitFor(() => this.done, `the writer to finish (at ${this.written})`, 40_000)
  }
}
