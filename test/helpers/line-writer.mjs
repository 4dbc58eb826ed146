// A log writer child process for tail tests: appends `id=<n>` lines to a file at a steady
// rate, like an application would (O_APPEND), and obeys its parent over IPC:
//   'reopen'  close the file and open the path again (after a rename or delete: creates it)
//   'pause'   stop writing; answers { paused: written }
//   'resume'  go on
// It reports { written } every 50 ms and { done: written } at the end, then waits to be killed
// or disconnected.
// Usage: node line-writer.mjs <path> <total> <linesPerSecond> [padding]
import { openSync, writeSync, closeSync } from 'node:fs'

const [path, totalArg, rateArg, padArg = '60'] = process.argv.slice(2)
const total = Number(totalArg)
const rate = Number(rateArg)
const pad = 'x'.repeat(Number(padArg))
let fd = openSync(path, 'a')
let written = 0
let paused = false
const started = Date.now()
let pausedFor = 0
let pausedAt = 0

process.on('message', (m) => {
  if (m === 'reopen') {
    closeSync(fd)
    fd = openSync(path, 'a')
  } else if (m === 'pause') {
    paused = true
    pausedAt = Date.now()
    process.send({ paused: written })
  } else if (m === 'resume') {
    paused = false
    pausedFor += Date.now() - pausedAt
  }
})
process.on('disconnect', () => process.exit(0))

const timer = setInterval(() => {
  if (paused) return
  const due = Math.min(total, Math.floor(((Date.now() - started - pausedFor) / 1000) * rate))
  let lines = ''
  while (written < due && lines.length < 1_000_000) lines += `${new Date().toISOString()} id=${written++} ${pad}\n`
  if (lines) writeSync(fd, lines)
  process.send({ written })
  if (written >= total) {
    clearInterval(timer)
    process.send({ done: written })
  }
}, 20)
