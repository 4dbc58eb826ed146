import type { OutputOptions } from '../outputs/registry.js'
import { writeTestEvent } from './write-check.js'
import type { HostCheck } from './types.js'

type CheckHosts = (options: never, timeoutMs: number) => Promise<HostCheck[]>

/**
 * One connection check per output type, each imported only when `test output` checks that
 * type (it lives here, above the outputs, since it uses the checks' shared wording). Keyed
 * by every output type, so a new output does not compile until it says how it is checked.
 */
const probes: Record<OutputOptions['type'], () => Promise<CheckHosts>> = {
  http: async () => (await import('./http-probe.js')).probeHttp,
  console: async () => async () => [{ host: 'stdout', ok: true, message: 'the console output writes to stdout; there is nothing to connect to' }],
  file: async () => (await import('./file-probe.js')).probeFile,
  elasticsearch: async () => (await import('./elasticsearch-probe.js')).probeElasticsearch,
  logstash: async () => (await import('./logstash-probe.js')).probeLogstash,
  redis: async () => (await import('./redis-probe.js')).probeRedis,
  otlp: async () => (await import('./otlp-probe.js')).probeOtlp,
  loki: async () => (await import('./loki-probe.js')).probeLoki,
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
  // the probe connects to every configured host and says, in plain words, what it found
  const probe = await probes[output.type]?.()
  const hosts = probe
    ? await probe(output as never, timeoutMs)
    : [{ host: output.type, ok: true, message: `there is no connection check for ${output.type} outputs yet; run with --write to send a test event` }]
  const write = options.write ? await writeTestEvent(output, timeoutMs) : undefined
  return { type: output.type, hosts, write, ok: hosts.every((h) => h.ok) && (write?.ok ?? true) }
}
