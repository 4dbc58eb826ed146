import { unixNanosOf } from '../otlp/time.js'
import { fillTemplate, parseTemplate, type Template } from './template.js'

/** One log line of a stream. */
export interface Entry {
  readonly nanos: bigint
  /** The record's JSON text, sent as it is. */
  readonly line: Uint8Array
  readonly metadata: readonly (readonly [string, string])[]
}

export interface Stream {
  /** Prometheus label text, names sorted: `{job="app", level="info"}`. */
  readonly labels: string
  /** In timestamp order (stable: equal times keep their batch order), as Loki wants them. */
  readonly entries: Entry[]
}

const NO_LABELS = '{job="logship"}'
/** Label texts remembered by their values; past this many the memo starts over (values made of ids, say). */
const MAX_REMEMBERED_TEXTS = 10_000

/** One level per label: the label's value (undefined: left out) to the next level, or to the label text at the last. */
type LabelTexts = Map<string | undefined, unknown>

/**
 * Turns records into Loki streams: labels from the `labels` templates, at most `maxStreams`
 * distinct label sets over the output's life (a cardinality guard: an event whose label set
 * would be one more goes to the overflow stream: the fixed labels plus
 * `logship_overflow="true"`, and is counted), entries sorted by time within each stream.
 */
export class StreamBuilder {
  readonly #labels: readonly (readonly [string, Template])[]
  readonly #metadata: readonly (readonly [string, Template])[]
  readonly #known = new Set<string>()
  readonly #overflowLabels: string
  readonly #maxStreams: number
  /**
   * The label text of each label set met before, by its values: building it (escaping, joining)
   * cost more than the rest of an event's labelling when it was done per event.
   */
  #texts: LabelTexts = new Map()
  #textCount = 0
  readonly #values: (string | undefined)[] = []
  /** Events sent to the overflow stream so far. */
  overflowed = 0
  /** Called with the label set that was refused, for the first overflowing event and every 10,000th after it. */
  onOverflow: ((refused: string, count: number) => void) | undefined

  constructor(labels: Record<string, string>, metadata: Record<string, string>, maxStreams: number) {
    this.#labels = Object.entries(labels)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, source]) => [name, parseTemplate(source)] as const)
    this.#metadata = Object.entries(metadata).map(([name, source]) => [name, parseTemplate(source)] as const)
    const fixed = this.#labels.filter(([, t]) => t.fixed).map(([name, t]) => [name, fillTemplate(t, {})!] as const)
    this.#overflowLabels = labelText([...fixed, ['logship_overflow', 'true']].sort(([a], [b]) => (a! < b! ? -1 : 1)) as [string, string][])
    this.#maxStreams = maxStreams
  }

  build(records: readonly Uint8Array[], now: bigint): Stream[] {
    const streams = new Map<string, Entry[]>()
    for (const record of records) {
      const event = parse(record)
      const labels = this.#labelsOf(event)
      let entries = streams.get(labels)
      if (!entries) streams.set(labels, (entries = []))
      const metadata: [string, string][] = []
      for (const [name, template] of this.#metadata) {
        const value = fillTemplate(template, event)
        if (value !== undefined && value !== '') metadata.push([name, value])
      }
      entries.push({ nanos: timeOf(event, now), line: record, metadata })
    }
    return [...streams].map(([labels, entries]) => ({ labels, entries: entries.sort((a, b) => (a.nanos < b.nanos ? -1 : a.nanos > b.nanos ? 1 : 0)) }))
  }

  #labelsOf(event: Record<string, unknown>): string {
    const labels = this.#labels
    const values = this.#values
    let level = this.#texts
    for (let i = 0; i < labels.length; i++) {
      const value = fillTemplate(labels[i]![1], event)
      // Loki drops labels with empty values: leave them out rather than make a different stream
      values[i] = value === '' ? undefined : value
      if (i === labels.length - 1) break
      let next = level.get(values[i]) as LabelTexts | undefined
      if (!next) level.set(values[i], (next = new Map()))
      level = next
    }
    const last = values[labels.length - 1]
    let text = labels.length === 0 ? NO_LABELS : (level.get(last) as string | undefined)
    if (text === undefined) {
      const pairs: [string, string][] = []
      for (let i = 0; i < labels.length; i++) if (values[i] !== undefined) pairs.push([labels[i]![0], values[i]!])
      text = pairs.length === 0 ? NO_LABELS : labelText(pairs)
      level.set(last, text)
      if (++this.#textCount > MAX_REMEMBERED_TEXTS) {
        this.#texts = new Map()
        this.#textCount = 0
      }
    }
    if (this.#known.has(text)) return text
    if (this.#known.size < this.#maxStreams) {
      this.#known.add(text)
      return text
    }
    this.overflowed++
    if (this.overflowed === 1 || this.overflowed % 10_000 === 0) this.onOverflow?.(text, this.overflowed)
    return this.#overflowLabels
  }
}

/** `{a="x", b="y"}` with Prometheus escaping of values. */
function labelText(pairs: readonly (readonly [string, string])[]): string {
  return `{${pairs.map(([name, value]) => `${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(', ')}}`
}

function parse(record: Uint8Array): Record<string, unknown> {
  try {
    const value = JSON.parse(Buffer.from(record.buffer, record.byteOffset, record.byteLength).toString('utf8')) as unknown
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

/** `@timestamp`, else `time`, else `timestamp`; else the time the request is built. */
function timeOf(event: Record<string, unknown>, now: bigint): bigint {
  for (const key of ['@timestamp', 'time', 'timestamp']) {
    if (!(key in event)) continue
    const nanos = unixNanosOf(event[key])
    if (nanos !== 0n) return nanos
  }
  return now
}
