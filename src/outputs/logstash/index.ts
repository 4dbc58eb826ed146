import type { Batch, Output, SendResult } from '../output.js'
import { logstashOutputSchema, parseHost, type LogstashOutputOptions } from './options.js'
import { LumberjackConnection } from './connection.js'
import { hostLabel } from './open-socket.js'
import { Balancer } from './balancer.js'
import { HostHealthWatch } from './host-health.js'
import { sendBatch } from './send-batch.js'
import { HostTally } from './host-tally.js'
import { RefusalMemory } from './refusals.js'
import { WindowEncoder } from './encode-window.js'
import { tlsConnectOptions } from './tls-material.js'
import { outputError, describeError } from '../../errors.js'
import type { ConnectionOptions } from 'node:tls'

export { logstashOutputSchema, type LogstashOutputOptions }

/**
 * `output: { type: 'logstash' }`: Lumberjack v2 (the Beats protocol) to one or more Logstash
 * beats inputs, with windows, ACKs, compression, TLS and load balancing. See
 * docs/outputs/logstash.md.
 */
export function createLogstashOutput(options: LogstashOutputOptions): Output {
  const addresses = options.hosts.map((h) => parseHost(h)!)
  const name = `logstash(${options.hosts.join(',')})`
  let tls: ConnectionOptions | undefined
  let setupError: Error | undefined
  try {
    tls = options.tls ? tlsConnectOptions(options.tls) : undefined
  } catch (err) {
    setupError = outputError(name, describeError(err))
  }
  const pipelining = Math.max(1, options.pipelining)
  const refusals = new RefusalMemory()
  const hosts = addresses.map((address) => {
    const tally = new HostTally(hostLabel(address))
    return Array.from(
      { length: options.workers },
      () =>
        new LumberjackConnection({
          address,
          tally,
          tls,
          timeoutMs: options.timeoutMs,
          ttlMs: options.ttlMs,
          pipelining,
          bulkMaxSize: options.bulkMaxSize,
          backoff: options.backoff,
          // connections report changes only once connecting, after `balancer` and `watch` exist
          onChange: () => balancer.changed(),
          onHealthChange: () => watch.changed(),
        }),
    )
  })
  const balancer = new Balancer(hosts, options.loadBalance)
  const watch = new HostHealthWatch(
    name,
    hosts.map((connections) => ({ label: connections[0]!.label, connections })),
  )
  const connections = options.loadBalance ? addresses.length * options.workers : options.workers
  // every connection's pipeline, plus a window being encoded for each
  const encoder = new WindowEncoder(options.compressionLevel, connections * (pipelining + 1))
  let closed = false

  return {
    name,
    // enough batches to keep every connection's pipeline full
    maxInFlight: connections * (pipelining + 1),
    send(batch: Batch, signal: AbortSignal): Promise<SendResult> {
      if (setupError) return Promise.resolve({ status: 'fatal', error: setupError })
      if (closed) return Promise.resolve({ status: 'retryable', error: outputError(name, 'the output is closed') })
      return sendBatch(name, batch, balancer, encoder, refusals, signal)
    },
    health: () => watch.health(),
    reportTo: (report) => watch.reportTo(report),
    async close() {
      closed = true
      await Promise.all(balancer.all.map((c) => c.close()))
      encoder.close()
    },
  }
}
