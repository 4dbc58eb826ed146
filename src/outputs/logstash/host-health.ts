import type { HostHealth } from '../output.js'
import type { LumberjackConnection } from './connection.js'
import { hostChangeMessage } from '../host-change.js'

export interface HostConnections {
  /** `host:port` as configured (after parsing). */
  readonly label: string
  readonly connections: readonly LumberjackConnection[]
}

/**
 * How each Logstash host is doing, from its `workers` connections: up while at least one of
 * them is not down (a connection is down when it failed without delivering anything and has
 * not connected since). Reports every change of a host between up and down, when the output
 * has several hosts (with one, the engine's own error says the output is failing).
 */
export class HostHealthWatch {
  readonly #name: string
  readonly #hosts: readonly HostConnections[]
  readonly #wasUp: boolean[]
  #report: ((message: string) => void) | undefined

  constructor(outputName: string, hosts: readonly HostConnections[]) {
    this.#name = outputName
    this.#hosts = hosts
    this.#wasUp = hosts.map(() => true)
  }

  reportTo(report: (message: string) => void): void {
    this.#report = report
  }

  health(): HostHealth[] {
    return this.#hosts.map((h) => hostHealth(h))
  }

  /** A connection went down or connected again: report hosts that changed. */
  changed(): void {
    const now = this.health()
    const downCount = now.filter((h) => !h.up).length
    const total = now.length
    for (const [i, h] of now.entries()) {
      if (h.up === this.#wasUp[i]) continue
      this.#wasUp[i] = h.up
      if (total < 2) continue
      this.#report?.(`${this.#name}: ${hostChangeMessage(h.host, h.up, h.lastError, downCount, total)}`)
    }
  }
}

function hostHealth({ label, connections }: HostConnections): HostHealth {
  let unackedEvents = 0
  let windowsInFlight = 0
  for (const c of connections) {
    unackedEvents += c.unackedEvents
    windowsInFlight += c.windowsInFlight
  }
  const down = connections.filter((c) => c.down)
  if (down.length < connections.length) {
    const failures = Math.min(...connections.filter((c) => !c.down).map((c) => c.failures))
    return { host: label, up: true, failures, unackedEvents, windowsInFlight }
  }
  const failures = Math.min(...down.map((c) => c.failures))
  const lastError = down.map((c) => c.lastProblem?.message).find((m) => m !== undefined) ?? 'the connection failed'
  return { host: label, up: false, failures, lastError, unackedEvents, windowsInFlight }
}
