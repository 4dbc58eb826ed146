import { loadConfigOrExit } from '../load.js'
import { testOutput } from '../../output-check/index.js'

export interface TestOutputOptions {
  config: string
  write?: boolean
  timeoutMs: number
}

/** `logship test output`: loaded only when the command runs. */
export async function testOutputAction(opts: TestOutputOptions): Promise<void> {
  const config = loadConfigOrExit(opts.config)
  const report = await testOutput(config.output, { write: opts.write === true, timeoutMs: opts.timeoutMs })
  const mark = (ok: boolean): string => (ok ? 'ok  ' : 'FAIL')
  const lines = report.hosts.map((h) => `${mark(h.ok)} ${h.message}`)
  if (report.write) lines.push(`${mark(report.write.ok)} write: ${report.write.message}`)
  else if (report.ok) lines.push('     (nothing was written; add --write to ship one test event)')
  lines.push(report.ok ? `logship: the ${report.type} output is ready` : `logship: the ${report.type} output has problems (see FAIL above)`)
  process.stdout.write(`${lines.join('\n')}\n`)
  process.exitCode = report.ok ? 0 : 1
}
