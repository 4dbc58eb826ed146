import type { HostHealth } from '../output.js'

/**
 * How the one endpoint of an output is doing: down after a request that got no answer or a
 * 5xx/429, up again after any answer that is not one of those.
 */
export class EndpointHealth {
  #failures = 0
  #lastError = ''

  constructor(readonly host: string) {}

  ok(): void {
    this.#failures = 0
    this.#lastError = ''
  }

  failed(reason: string): void {
    this.#failures++
    this.#lastError = reason
  }

  health(): HostHealth[] {
    return [this.#failures === 0 ? { host: this.host, up: true, failures: 0 } : { host: this.host, up: false, failures: this.#failures, lastError: this.#lastError }]
  }
}
