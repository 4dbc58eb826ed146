// The shipper every Logstash benchmark runs (clients/logship.mjs, warm.mjs, per-thread.mjs), so
// that their figures compare: windows of 2048 like go-lumber's, a 32 MiB queue that blocks the
// writer instead of dropping, nothing hooked on process exit.
//   output: extra output options (tls); queueMaxBytes: another queue size
export function benchShipperOptions(hosts, compressionLevel, { output = {}, queueMaxBytes = '32mb' } = {}) {
  return {
    output: { type: 'logstash', hosts, compressionLevel, ...output },
    queue: { maxBytes: queueMaxBytes, whenFull: 'block', maxBlockMs: 60_000 },
    batch: { maxEvents: 2048, maxBytes: '4mb', flushMs: 100 },
    handleExit: false,
  }
}
