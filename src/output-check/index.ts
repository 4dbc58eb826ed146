import type { OutputOptions } from '../outputs/registry.js'
import { probeHttp } from './http-probe.js'
import { probeElasticsearch } from './elasticsearch-probe.js'
import { probeFile } from './file-probe.js'
import { probeLogstash } from './logstash-probe.js'
import { writeTestEvent } from './write-check.js'
import type { HostCheck, Probe } from './types.js'
import { probeRedis } from './redis-probe.js'

export type { HostCheck, Probe } from './types.js'

/**
 * One probe per output type: it connects to every configured host and says, in plain words,
 * what it found. An output type without a probe is still checked by `--write`.
 */
const probes: Record<string, Probe> = {
  http: probeHttp as Probe,
  elasticsearch: probeElasticsearch as Probe,
  logstash: probeLogstash as Probe,
  file: probeFile as Probe,
  console: async () => [{ host: 'stdout', ok: true, message: 'the console output writes to stdout; there is nothing to connect to' }],
  redis: probeRedis as Probe,
}

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
  const probe = probes[output.type]
  const hosts = probe
    ? await probe(output as never, timeoutMs)
    : [{ host: output.type, ok: true, message: `there is no connection check for ${output.type} outputs yet; run with --write to send a test event` }]
  const write = options.write ? await writeTestEvent(output, timeoutMs) : undefined
  return { type: output.type, hosts, write, ok: hosts.every((h) => h.ok) && (write?.ok ?? true) }
}
