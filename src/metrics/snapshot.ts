import type { ShipperStats } from '../shipper/stats.js'
import type { HostHealth } from '../outputs/output.js'

/** What tail mode adds to the metrics (the CLI maps its runner's stats to this). */
export interface TailMetrics {
  /** Files open for reading right now. */
  readonly harvestersOpen: number
  /** Entries turned into events and handed to the shipper. */
  readonly lines: number
  /** Entries left out by includeLines / excludeLines. */
  readonly filtered: number
  readonly bytesRead: number
  /** Bytes written to the files but not yet acknowledged by the output (all files). */
  readonly lagBytes: number
  /** Atomic writes of the read pointers file. */
  readonly registryWrites: number
  /** Files a glob matched that are not read, and why (e.g. they look binary). */
  readonly skippedFiles: readonly { readonly path: string; readonly reason: string }[]
}

/** Where the metrics come from: a shipper (any object with its read-only surface) and, in tail mode, the inputs. */
export interface MetricSources {
  readonly shipper: {
    stats(): ShipperStats
    health(): Promise<readonly HostHealth[]>
    readonly outputName: string
  }
  readonly tail?: (() => TailMetrics) | undefined
}

/** One consistent reading of everything, taken once per scrape or stats line. */
export interface Snapshot {
  /** Epoch ms. */
  readonly at: number
  readonly outputName: string
  readonly stats: ShipperStats
  readonly hosts: readonly HostHealth[]
  readonly tail?: TailMetrics | undefined
  /** Set when the engine did not report its hosts in time (busy or stuck): how long it was waited for. */
  readonly engineSilentMs?: number
}

/** How long a scrape waits for the engine to report its hosts before answering without them. */
export const HEALTH_WAIT_MS = 2000

/**
 * Reads everything once. The counters are shared memory (always readable); the hosts come
 * from the engine, which may be busy or stuck: after `healthWaitMs` the snapshot goes without
 * them and says so (`engineSilentMs`), so an endpoint never hangs on the engine.
 */
export async function takeSnapshot(sources: MetricSources, healthWaitMs = HEALTH_WAIT_MS): Promise<Snapshot> {
  const asked = Date.now()
  let timer: NodeJS.Timeout | undefined
  const hosts = await Promise.race([
    sources.shipper.health(),
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), healthWaitMs)
      timer.unref()
    }),
  ])
  clearTimeout(timer)
  const silent = hosts === undefined ? { engineSilentMs: Date.now() - asked } : {}
  return { at: Date.now(), outputName: sources.shipper.outputName, stats: sources.shipper.stats(), hosts: hosts ?? [], tail: sources.tail?.(), ...silent }
}

/**
 * `GET /stats`: the shipper's stats() as they are, the output's name and hosts folded into
 * `output`, and tail mode's counters under `tail`.
 */
export function statsJson(s: Snapshot): Record<string, unknown> {
  return {
    time: new Date(s.at).toISOString(),
    ...s.stats,
    output: { name: s.outputName, ...s.stats.output, hosts: s.hosts },
    ...(s.tail ? { tail: s.tail } : {}),
    ...(s.engineSilentMs !== undefined ? { engineSilentMs: s.engineSilentMs } : {}),
  }
}
