/**
 * The one contract every sink implements. An output *reports* what happened to a batch;
 * the sender *decides* what to do about it (retry, split, dead-letter, ack).
 *
 * Rules every output MUST follow (docs/specs/output.md says the same):
 * - `send` resolves exactly one `SendResult`; it never rejects for a remote failure
 *   (network errors, HTTP statuses, protocol errors become `retryable` or `fatal`).
 * - `send` honours `signal`: when it aborts, resolve `retryable` promptly.
 * - `send` never keeps a reference to `batch.records` (or `ndjson`, `layout`) after it resolves.
 * - Connection pooling, load balancing, health and failover live inside the output.
 */
export interface Output {
  /** Shows up in stats, errors and logs, e.g. `http(http://127.0.0.1:8080/ingest)`. Never holds secrets. */
  readonly name: string
  /** How many `send` calls the sender may have in flight at once. 1 keeps strict order. */
  readonly maxInFlight: number
  send(batch: Batch, signal: AbortSignal): Promise<SendResult>
  close(): Promise<void>
  /**
   * Optional: stores events that could not be delivered in the sink itself (the engine calls
   * it instead of writing the dead-letter file when `deadLetter.index` is set). Resolves when
   * they are stored; rejects with an Error saying why they could not be.
   */
  storeDeadLetters?(entries: readonly DeadLetter[], target: { readonly index: string }): Promise<void>
  /**
   * Optional: how each host (node, endpoint) is doing, for `/metrics` and `/healthz`. Outputs
   * without it are reported as one host, judged by the engine from their SendResults.
   */
  health?(): readonly HostHealth[]
  /**
   * Optional: the engine calls it once with a function that raises an `error` event
   * (LOGSHIP_ERR_OUTPUT) on the shipper, for news that is not the answer to a send, such as
   * one host of several going down or coming back.
   */
  reportTo?(report: (message: string) => void): void
}

/** How one host of an output is doing. */
export interface HostHealth {
  /** Where it is, e.g. `http://127.0.0.1:9200`; never holds credentials. */
  readonly host: string
  readonly up: boolean
  /** Failed requests in a row (0 once one succeeds). */
  readonly failures: number
  /** Plain words about the last failure while the host is down. */
  readonly lastError?: string
  /** Events written to the host and not acknowledged yet (outputs with windows: logstash). */
  readonly unackedEvents?: number
  /** Windows (requests) on the wire waiting for their acknowledgement. */
  readonly windowsInFlight?: number
}

/** One event that could not be delivered, with why. */
export interface DeadLetter {
  readonly record: Uint8Array
  /** Plain words, e.g. `mapper_parsing_exception: failed to parse field [a]`. */
  readonly reason: string
  readonly status?: number
}

/**
 * A batch of records. A record is one event encoded once, at ingress, as the UTF-8 bytes of
 * one JSON object text without a trailing newline. Outputs frame records (NDJSON lines,
 * bulk action lines, Lumberjack frames) by concatenating bytes, never by re-parsing them.
 */
export interface Batch {
  readonly records: readonly Uint8Array[]
  /**
   * The same records as one NDJSON body (each record followed by `\n`) when the engine has
   * them laid out that way: outputs that send NDJSON send this as is instead of copying.
   */
  readonly ndjson?: Uint8Array
  /**
   * The same records where the engine keeps them, without a view object per record: record
   * `i` is `layout.arena[layout.starts[i] .. layout.starts[i] + layout.lengths[i])`. Outputs
   * that copy every record into frames of their own (Lumberjack) read them from here; the
   * engine then never builds `records` for them (it does so on first access).
   */
  readonly layout?: RecordLayout
  /**
   * A key for record `i` that stays the same on every retry of that record (and differs for
   * every other record this shipper accepted): use it where a sink can deduplicate, such as
   * the Elasticsearch `_id` in idempotent mode.
   */
  key(i: number): string
}

/** Where the records of a batch sit in one buffer (see `Batch.layout`). */
export interface RecordLayout {
  readonly arena: Uint8Array
  /** Where record i starts in `arena`; one entry per record. */
  readonly starts: Uint32Array
  /** Record i's byte length. */
  readonly lengths: Uint32Array
}

export interface RejectedRecord {
  /** Index into `batch.records`. */
  readonly index: number
  /** Plain words: what the sink said, e.g. `mapper_parsing_exception: failed to parse field [a]`. */
  readonly reason: string
  /** The sink's status for this record when it has one (an HTTP or bulk item status). */
  readonly status?: number
}

export type SendResult =
  /** Every record is stored. */
  | { readonly status: 'delivered' }
  /**
   * Some records are stored; `retry` lists indexes to send again (alone, not the batch);
   * `rejected` lists records the sink refused for good (dead-lettered, counted as failed).
   * Indexes not in either list are delivered.
   */
  | { readonly status: 'partial'; readonly retry: readonly number[]; readonly rejected: readonly RejectedRecord[] }
  /** Nothing (known to be) stored; send the whole batch again after a backoff. */
  | {
      readonly status: 'retryable'
      readonly error: Error
      readonly retryAfterMs?: number
      /**
       * The batch can make progress only once other batches are acknowledged (a Logstash host
       * must show it works before an event it refused is blamed): while it waits, the engine
       * sends newer batches beside it instead of holding one of its send slots.
       */
      readonly waitsForOthers?: boolean
    }
  /** The sink refused the size of the batch: the sender splits it in half and sends both halves. */
  | { readonly status: 'too-large' }
  /**
   * The sink refused the request as malformed (an HTTP 400 on the whole body, a Lumberjack
   * server closing the connection on a window) without saying which record is to blame. The
   * sender bisects: it sends each half on its own, and a single record refused this way is
   * dead-lettered with `reason` (and `sinkStatus`). Good records around it are delivered.
   */
  | { readonly status: 'malformed'; readonly reason: string; readonly sinkStatus?: number }
  /** Bad configuration or credentials: nothing will work until someone fixes it. */
  | { readonly status: 'fatal'; readonly error: Error }
