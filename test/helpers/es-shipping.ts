import { expect } from 'vitest'
import { createShipper, type LogshipError, type DeadLetterEvent, type ShipperOptions } from 'logship'
import type { FakeElasticsearch } from './fake-elasticsearch.js'

export interface ShipRun {
  readonly errors: LogshipError[]
  readonly deadLetters: DeadLetterEvent[]
  readonly stats: ReturnType<ReturnType<typeof createShipper>['stats']>
}

type OutputExtras = Record<string, unknown>

/** Options for shipping to `hosts` fast in tests: small batches, short retry delays. */
export function esOptions(hosts: string[], output: OutputExtras = {}, rest: Partial<ShipperOptions> = {}): ShipperOptions {
  return {
    output: { type: 'elasticsearch', hosts, hostBackoffMs: 50, ...output } as ShipperOptions['output'],
    batch: { maxEvents: 40, flushMs: 20 },
    retry: { initialDelayMs: 10, maxDelayMs: 200 },
    closeTimeoutMs: 20_000,
    handleExit: false,
    ...rest,
  }
}

/** Writes `count` events `{ n, msg }` (plus `extra(n)`), flushes, closes; reports what happened. */
export async function ship(options: ShipperOptions, count: number, extra: (n: number) => Record<string, unknown> = () => ({})): Promise<ShipRun> {
  const shipper = createShipper(options)
  const errors: LogshipError[] = []
  const deadLetters: DeadLetterEvent[] = []
  shipper.on('error', (e) => errors.push(e))
  shipper.on('dead-letter', (d) => deadLetters.push(d))
  for (let n = 0; n < count; n++) expect(shipper.write({ n, msg: `event number ${n}`, ...extra(n) })).toBe(true)
  await shipper.flush()
  await shipper.close()
  return { errors, deadLetters, stats: shipper.stats() }
}

/** Every n in `expected` is stored exactly once in `index` (by count and by id), and nothing else is. */
export function expectExactlyOnce(es: FakeElasticsearch, index: string, expected: readonly number[]): void {
  const docs = es.docs(index)
  const byN = new Map<number, number>()
  for (const doc of docs) byN.set(doc.source.n as number, (byN.get(doc.source.n as number) ?? 0) + 1)
  const duplicated = [...byN].filter(([, times]) => times > 1).map(([n]) => n)
  const missing = expected.filter((n) => !byN.has(n))
  expect({ duplicated, missing }).toEqual({ duplicated: [], missing: [] })
  expect(docs.length).toBe(expected.length)
  expect(new Set(docs.map((d) => d.id)).size).toBe(expected.length)
}

export function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i)
}
