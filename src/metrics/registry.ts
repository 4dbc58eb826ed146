import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client'
import { takeSnapshot, statsJson, type MetricSources, type Snapshot } from './snapshot.js'
import type { ShipperStats } from '../shipper/stats.js'
import type { TailMetrics } from './snapshot.js'

/**
 * The one metrics registry of a shipper (and, in tail mode, of its inputs): counters and
 * gauges read from one snapshot per scrape, so a scrape always adds up the way stats() does.
 */
export class Metrics {
  readonly registry = new Registry()
  readonly #sources: MetricSources
  #snapshot: Snapshot | undefined

  constructor(sources: MetricSources, options: { processMetrics?: boolean } = {}) {
    this.#sources = sources
    this.#define()
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'logship_' })
  }

  snapshot(): Promise<Snapshot> {
    return takeSnapshot(this.#sources)
  }

  /** `GET /metrics`: Prometheus text format. */
  async prometheus(snapshot?: Snapshot): Promise<string> {
    this.#snapshot = snapshot ?? (await this.snapshot())
    try {
      return await this.registry.metrics()
    } finally {
      this.#snapshot = undefined
    }
  }

  /** `GET /stats`. */
  async json(snapshot?: Snapshot): Promise<Record<string, unknown>> {
    return statsJson(snapshot ?? (await this.snapshot()))
  }

  get contentType(): string {
    return this.registry.contentType
  }

  #current(): Snapshot {
    if (!this.#snapshot) throw new Error('metrics are read through Metrics.prometheus()')
    return this.#snapshot
  }

  #define(): void {
    const registers = [this.registry]
    const current = (): Snapshot => this.#current()
    const counter = (name: string, help: string, read: (s: ShipperStats) => number): void => {
      new Counter({
        name: `logship_${name}`,
        help,
        registers,
        collect() {
          this.reset()
          this.inc(read(current().stats))
        },
      })
    }
    const gauge = (name: string, help: string, read: (s: ShipperStats) => number): void => {
      new Gauge({
        name: `logship_${name}`,
        help,
        registers,
        collect() {
          this.set(read(current().stats))
        },
      })
    }

    counter('events_received_total', 'Events offered to logship (write() calls and lines read), accepted or not.', (s) => s.received)
    counter('events_accepted_total', 'Events accepted into the queue.', (s) => s.accepted)
    counter('events_acked_total', 'Events the output acknowledged (stored).', (s) => s.acked)
    new Counter({
      name: 'logship_events_dropped_total',
      help: 'Events lost on purpose, by reason (queue_full, queue_full_oldest, block_timeout, too_large, invalid, closed, shutdown, spill_full).',
      labelNames: ['reason'],
      registers,
      collect() {
        this.reset()
        for (const [reason, n] of Object.entries(current().stats.droppedByReason)) this.labels(reason).inc(n)
      },
    })
    counter('events_sampled_out_total', 'Low-severity events left out by the sample policy above its watermark.', (s) => s.sampledOut)
    counter('events_failed_total', 'Events the output refused for good or that ran out of retries: dead-lettered.', (s) => s.failed)
    counter('events_retried_total', 'Events sent again (each retry of each event counts).', (s) => s.retried)
    gauge('queue_events', 'Accepted events not in a batch yet.', (s) => s.queuedEvents)
    gauge('queue_bytes', 'Bytes of queued events in the ring.', (s) => s.queuedBytes)
    gauge('queue_fill_ratio', 'Share of queue.maxBytes held by accepted, unsettled events (0..1).', (s) => s.queueFill)
    gauge('in_flight_events', 'Events in a batch being sent or waiting to be retried.', (s) => s.inFlightEvents)
    gauge('in_flight_batches', 'Batches being sent or waiting to be retried.', (s) => s.inFlightBatches)
    gauge('spill_events', 'Events in the disk spill not yet acknowledged.', (s) => s.spilledEvents)
    gauge('spill_bytes', 'Bytes on disk of spilled events not yet acknowledged.', (s) => s.spilledBytes)
    gauge('spill_segments', 'Spill segment files.', (s) => s.spillSegments)
    counter('spill_corrupt_frames_total', 'Damaged spill frames skipped (bad checksum, torn write).', (s) => s.corrupt)
    gauge('output_failing', "1 while the output's last answer was a failure and none succeeded since.", (s) => (s.output.failing ? 1 : 0))
    gauge('output_waiting_seconds', "Age of the oldest request still waiting for the output's answer (0: none).", (s) => s.output.waitingMs / 1000)
    this.#defineHosts(registers, current)
    this.#defineLatency(current)
    this.#defineTail(registers, current)
  }

  #defineHosts(registers: Registry[], current: () => Snapshot): void {
    const perHost = (name: string, help: string, read: (h: Snapshot['hosts'][number]) => number): void => {
      new Gauge({
        name: `logship_${name}`,
        help,
        labelNames: ['output', 'host'],
        registers,
        collect() {
          this.reset()
          const s = current()
          for (const h of s.hosts) this.labels(s.outputName, h.host).set(read(h))
        },
      })
    }
    perHost('output_host_up', '1 while the host of the output answers, 0 while it is failing.', (h) => (h.up ? 1 : 0))
    perHost('output_host_failures', 'Failed requests to the host in a row.', (h) => h.failures)
  }

  /**
   * prom-client's Histogram observes values one by one; the engine counts sends into fixed
   * buckets in shared memory, so the histogram is exposed as those counts (made cumulative).
   */
  #defineLatency(current: () => Snapshot): void {
    const name = 'logship_output_send_duration_seconds'
    const help = 'How long requests to the output took (each retry counted), from sending to its answer.'
    this.registry.registerMetric({
      name,
      help,
      type: 'histogram',
      get: async () => {
        const l = current().stats.sendLatency
        let cumulative = 0
        const values = l.counts.map((n, i) => {
          cumulative += n
          const le = i < l.boundsMs.length ? String(l.boundsMs[i]! / 1000) : '+Inf'
          return { metricName: `${name}_bucket`, labels: { le }, value: cumulative }
        })
        values.push(
          { metricName: `${name}_sum`, labels: {} as { le: string }, value: l.sumMs / 1000 },
          { metricName: `${name}_count`, labels: {} as { le: string }, value: l.count },
        )
        return { name, help, type: 'histogram', values, aggregator: 'sum' }
      },
    } as never)
  }

  #defineTail(registers: Registry[], current: () => Snapshot): void {
    if (!this.#sources.tail) return
    const tail = (kind: 'counter' | 'gauge', name: string, help: string, read: (t: TailMetrics) => number): void => {
      const collect = function (this: Counter | Gauge): void {
        const t = current().tail
        if (!t) return
        this.reset()
        if (this instanceof Gauge) this.set(read(t))
        else this.inc(read(t))
      }
      if (kind === 'counter') new Counter({ name: `logship_${name}`, help, registers, collect })
      else new Gauge({ name: `logship_${name}`, help, registers, collect })
    }
    tail('gauge', 'harvesters_open', 'Files open for reading.', (t) => t.harvestersOpen)
    tail('gauge', 'input_files_skipped', 'Files matched by an input but not read (see /stats for which and why).', (t) => t.skippedFiles.length)
    tail('counter', 'input_lines_total', 'Lines (entries) read and handed to the shipper.', (t) => t.lines)
    tail('counter', 'input_lines_filtered_total', 'Lines left out by includeLines / excludeLines.', (t) => t.filtered)
    tail('counter', 'input_bytes_read_total', 'Bytes read from files and stdin.', (t) => t.bytesRead)
    tail('gauge', 'input_lag_bytes', 'Bytes written to the files but not yet acknowledged by the output.', (t) => t.lagBytes)
    tail('counter', 'registry_writes_total', 'Atomic writes of the read pointers file.', (t) => t.registryWrites)
  }
}
