import type { TailRunner } from '../tail/runner.js'
import { ProgressReporter } from '../metrics/progress.js'

/**
 * `run --once`: progress over all files, from where their read pointers were when the run
 * started: bytes acknowledged / bytes to ship, lines read. A bar when `stream` is a
 * terminal, plain lines otherwise.
 */
export function startBackfillProgress(runner: TailRunner, stream: NodeJS.WriteStream, intervalMs: number): ProgressReporter {
  const start = new Map(runner.stats().files.map((f) => [f.path, f.ackedOffset]))
  const read = () => {
    const stats = runner.stats()
    let done = 0
    let total = 0
    for (const f of stats.files) {
      const from = Math.min(start.get(f.path) ?? 0, f.size)
      total += Math.max(0, f.size - from)
      done += Math.max(0, Math.min(f.ackedOffset, f.size) - from)
    }
    return { doneBytes: done, totalBytes: total, lines: stats.counters.events, files: stats.files.length }
  }
  return new ProgressReporter(read, { stream, tty: stream.isTTY === true, intervalMs })
}
