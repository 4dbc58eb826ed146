import { LogshipError, describeError } from '../errors.js'
import type { MetricsServer, MetricsServerOptions } from './server.js'
import type { MetricSources } from './snapshot.js'

/**
 * A shipper's stats endpoint (`http` option). The server and prom-client are loaded only
 * then; a port it cannot listen on is reported through `onError`, and shipping goes on.
 */
export function startStatsEndpoint(
  sources: MetricSources,
  options: MetricsServerOptions & { host: string; port: number },
  onError: (err: LogshipError) => void,
): Promise<MetricsServer | undefined> {
  return import('./server.js')
    .then(({ startMetricsServer }) => startMetricsServer(sources, options))
    .catch((err: unknown) => {
      const message = `cannot serve stats on ${options.host}:${options.port}: ${describeError(err)}; shipping goes on without the endpoint (choose another http.port)`
      onError(new LogshipError('LOGSHIP_ERR_HTTP', message))
      return undefined
    })
}
