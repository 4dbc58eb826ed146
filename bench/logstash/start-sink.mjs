import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** Starts bench/logstash/sink.mjs in a child process; resolves with the ports it announces. */
export function startSink(options = {}) {
  const script = fileURLToPath(new URL('./sink.mjs', import.meta.url))
  const child = spawn(process.execPath, [script, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
      const m = /PORTS (\{.*\})/.exec(out)
      if (m) resolve({ ports: JSON.parse(m[1]), stop: () => child.kill('SIGKILL') })
    })
    child.on('exit', (code) => reject(new Error(`sink exited with ${code}`)))
  })
}
