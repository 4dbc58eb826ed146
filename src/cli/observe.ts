import type { TailRunner, TailStats } from '../tail/runner.js'
import type { TailMetrics } from '../metrics/snapshot.js'
import { startMetricsServer, exposureWarnings, type MetricsServer } from '../metrics/server.js'
import { startStatsLog } from '../metrics/stats-line.js'
import { describeError } from '../errors.js'

function tailMetricsOf(stats: TailStats): TailMetrics {
  return {
    harvestersOpen: stats.files.filter((f) => f.open).length,
    lines: stats.counters.events,
    filtered: stats.counters.filtered,
    bytesRead: stats.counters.bytesRead,
    lagBytes: stats.lagBytes,
    registryWrites: stats.registryWrites,
    skippedFiles: stats.skippedFiles,
  }
}

export interface Observation {
  /** Stops the stats log and closes the endpoint. */
  stop(): Promise<void>
}

/**
 * What `run` and `pipe` show while they work: the `/metrics` `/stats` `/healthz` endpoint
 * when the config has `http`, and a stats line on stderr every `statsIntervalMs` (unless
 * `statsLog` is false: a progress bar owns the terminal).
 */
export async function observe(runner: TailRunner, options: { statsLog: boolean; err?: NodeJS.WritableStream }): Promise<Observation> {
  const err = options.err ?? process.stderr
  const { http, statsIntervalMs } = runner.config
  const sources = { shipper: runner.shipper, tail: () => tailMetricsOf(runner.stats()) }
  let server: MetricsServer | undefined
  if (http) {
    try {
      server = await startMetricsServer(sources, http)
      err.write(`logship: stats on ${server.url}/metrics (Prometheus), ${server.url}/stats (JSON), ${server.url}/healthz\n`)
      for (const warning of exposureWarnings(http)) err.write(`logship: warning: ${warning}\n`)
    } catch (e) {
      err.write(`logship: warning: cannot serve stats on ${http.host}:${http.port}: ${describeError(e)}; shipping goes on without the endpoint (choose another http.port)\n`)
    }
  }
  const log =
    options.statsLog && statsIntervalMs > 0
      ? startStatsLog(
          () => {
            const stats = runner.stats()
            return { at: Date.now(), stats: stats.shipper, tail: tailMetricsOf(stats) }
          },
          (line) => err.write(`${line}\n`),
          statsIntervalMs,
        )
      : undefined
  return {
    async stop() {
      log?.stop()
      await server?.close()
    },
  }
}
