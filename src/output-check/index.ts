import { loadProbe, type OutputOptions } from '../outputs/registry.js'
import { writeTestEvent } from './write-check.js'

import type { HostCheck } from './types.js'

export type { HostCheck, Probe } from './types.js'

export interface OutputCheckReport {
  readonly type: string
  readonly hosts: readonly HostCheck[]
  /** Set with `write: true`: what became of one test event. */
  readonly write?: HostCheck | undefined
  readonly ok: boolean
}

export interface OutputCheckOptions {
  /** Also ship one test event through the real engine and output. */
  readonly write?: boolean
  /** Per request. @default 10000 */
  readonly timeoutMs?: number
}

/** `logship test output`: checks every host of the output, and with `write` ships one test event. */
export async function testOutput(output: OutputOptions, options: OutputCheckOptions = {}): Promise<OutputCheckReport> {
  const timeoutMs = options.timeoutMs ?? 10_000
  // each output's definition names its probe: it connects to every configured host and says, in plain words, what it found
  const probe = await loadProbe(output.type)
  const hosts = probe
    ? await probe(output, timeoutMs)
    : [{ host: output.type, ok: true, message: `there is no connection check for ${output.type} outputs yet; run with --write to send a test event` }]
  const write = options.write ? await writeTestEvent(output, timeoutMs) : undefined
  return { type: output.type, hosts, write, ok: hosts.every((h) => h.ok) && (write?.ok ?? true) }
}
