/**
 * What the connections to one host have seen lately, for telling a poison event (the host
 * closes the connection on one window while it acknowledges others) from a host that is
 * down or restarting. Shared by the `workers` connections of that host.
 */
export class HostTally {
  /** `host:port`. */
  readonly label: string
  /** Windows acknowledged in full by this host. */
  acks = 0
  /** Times the host looked down: a connect that failed, or no ACK for timeoutMs. */
  downs = 0
  /** `acks` when the host last closed a connection on a window sent alone. */
  acksAtLastRefusal = -1

  constructor(label: string) {
    this.label = label
  }
}
