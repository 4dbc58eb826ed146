import { existsSync, readFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { expect } from 'vitest'
import { readNdjson, runCli, writeConfig } from './cli.js'
import { waitFor } from './wait.js'

/**
 * The set-up the e2e tests of a web server's own log format share: requests to a real server,
 * waiting for its access log lines, then `logship run --once` over that log into a file output.
 */

/** A GET to 127.0.0.1:`port`; resolves with the status code once the body is read. */
export function get(port: number, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end()
  })
}

/** Waits until the server has written `lines` lines to `log`. */
export async function waitForLogLines(log: string, lines: number): Promise<void> {
  await waitFor(() => existsSync(log) && readFileSync(log, 'utf8').split('\n').length > lines, `${lines} access log lines in ${log}`)
}

/**
 * `logship run --once` over `log` with `inputSettings` (YAML lines of the file input, indented
 * four spaces, such as its parser or processors), into a file output in `dir`: the events shipped.
 * The run must exit 0 (its stderr is shown otherwise).
 */
export async function shipLogOnce(dir: string, log: string, inputSettings: string): Promise<Record<string, any>[]> {
  const cfg = writeConfig(
    dir,
    `inputs:
  - type: file
    paths: ['${log}']
${inputSettings}registry: { path: ${join(dir, 'registry.json')} }
output: { type: file, path: ${join(dir, 'out.ndjson')} }
`,
  )
  const r = await runCli(['run', '--once', '-c', cfg])
  expect(r.code, r.stderr).toBe(0)
  return readNdjson<Record<string, any>>(join(dir, 'out.ndjson')).events
}
