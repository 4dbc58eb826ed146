import type { Batch, DeadLetter, Output, SendResult } from '../output.js'
import { outputError, describeError } from '../../errors.js'
import type { ElasticsearchOutputOptions } from './options.js'
import { resolveEndpoints, authorizationHeader } from './endpoints.js'
import { HostPool } from './host-pool.js'
import { ActionLines, buildBulkBody, type BulkTargets } from './bulk-body.js'
import { classifyBulkReply, classifyRequestFailure } from './bulk-response.js'
import { IndexNamer, isDynamic, parseIndexTemplate } from './index-name.js'
import { takeTailId } from './tail-id.js'
import { withTimestamp } from './timestamp.js'
import { deadLetterDocument } from './dead-letter-doc.js'
import { BULK_REPLY_CAP_BYTES } from '../read-reply.js'
import { isRedirect, redirectResult } from '../http-status.js'
import { BufferPool } from '../../util/buffer-pool.js'
import { CompressorPool } from '../../util/compressor-pool.js'

/** How long one set of dead letters may keep being retried before it is given up (and reported). */
const DEAD_LETTER_PATIENCE_MS = 30_000

/**
 * The Elasticsearch output: `_bulk` requests over keep-alive undici pools, several hosts
 * round-robin with failover, per-item results, idempotent `create` with logship's ids, and
 * dead letters stored in an index of the same cluster.
 */
export function createElasticsearchOutput(options: ElasticsearchOutputOptions): Output {
  const endpoints = resolveEndpoints(options)
  const name = `elasticsearch(${endpoints.map((e) => e.label).join(', ')})`
  const authorization = authorizationHeader(options.auth)
  const hosts = new HostPool({
    endpoints,
    connections: options.maxInFlight,
    timeoutMs: options.timeoutMs,
    backoffMs: options.hostBackoffMs,
    tls: options.tls,
    headers: { ...(authorization ? { authorization } : {}), ...lowerCaseKeys(options.headers) },
    // without filter_path every item comes back in full: allow for that
    replyCapBytes: options.filterPath ? BULK_REPLY_CAP_BYTES : 4 * BULK_REPLY_CAP_BYTES,
  })
  const bulkHeaders: Record<string, string> = {
    'content-type': 'application/x-ndjson',
    ...(options.compression === 'gzip' ? { 'content-encoding': 'gzip' } : {}),
  }
  const template = parseIndexTemplate(options.index)
  const namer = new IndexNamer(template)
  const dynamic = isDynamic(template)
  // one fixed index goes in the URL, so every action line is the short `{"create":{}}`
  const bulkPath = `/${dynamic ? '' : `${encodeURIComponent(options.index)}/`}_bulk${query(options.filterPath, options.pipeline)}`
  const actions = new ActionLines(options.idempotent || options.dataStream ? 'create' : 'index')
  const deadLetterActions = new ActionLines('create')

  // bulk bodies are a few MB each: reuse them instead of leaving one per request to the GC
  const bodies = new BufferPool({ keep: options.maxInFlight })
  const gzip = options.compression === 'gzip' ? new CompressorPool({ format: 'gzip', level: 1, atOnce: options.maxInFlight }) : undefined

  async function post(body: Buffer, path: string, count: number, ownIds: boolean, signal: AbortSignal): Promise<SendResult> {
    let outcome
    if (gzip) {
      const payload = await gzip.compressToBuffer(body).finally(() => bodies.give(body))
      outcome = await hosts.post(path, payload, bulkHeaders, signal)
    } else {
      outcome = await hosts.post(path, body, bulkHeaders, signal).finally(() => bodies.give(body))
    }
    const context = { name, count, ownIds }
    if (outcome.kind === 'failed') {
      const error = outputError(name, outcome.message)
      return outcome.fatal ? { status: 'fatal', error } : { status: 'retryable', error }
    }
    if (outcome.status >= 200 && outcome.status < 300) return classifyBulkReply(context, outcome.text)
    if (isRedirect(outcome.status)) return redirectResult(name, outcome.status, outcome.location, 'hosts')
    return classifyRequestFailure(context, outcome.status, outcome.text, outcome.retryAfterMs)
  }

  return {
    name,
    maxInFlight: options.maxInFlight,

    async send(batch: Batch, signal: AbortSignal): Promise<SendResult> {
      try {
        const now = Date.now()
        let records = batch.records.map((r) => withTimestamp(Buffer.isBuffer(r) ? r : Buffer.from(r.buffer, r.byteOffset, r.byteLength)))
        // tail mode's ids (file content + offset) survive restarts; the engine's keys do not
        const tailIds = options.idempotent ? records.map(takeTailId) : undefined
        if (tailIds) records = records.map((r, i) => tailIds[i]?.record ?? r)
        const targets: BulkTargets = {
          indexOf: dynamic ? (i) => namer.nameFor(records[i]!, now) : () => undefined,
          ...(tailIds ? { idOf: (i: number) => tailIds[i]?.id ?? batch.key(i) } : {}),
        }
        return await post(
          buildBulkBody(records, actions, targets, (size) => bodies.take(size)),
          bulkPath,
          records.length,
          options.idempotent,
          signal,
        )
      } catch (err) {
        return { status: 'retryable', error: outputError(name, `sending failed: ${describeError(err)}`, err) }
      }
    },

    async storeDeadLetters(entries: readonly DeadLetter[], target: { readonly index: string }): Promise<void> {
      const now = Date.now()
      const index = new IndexNamer(parseIndexTemplate(target.index)).nameAt(now)
      let pending = entries.map((entry) => deadLetterDocument(entry, name, now))
      let problem = ''
      let refused = 0
      const deadline = now + DEAD_LETTER_PATIENCE_MS
      for (let attempt = 0; pending.length > 0 && Date.now() < deadline; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 100 * 2 ** attempt)))
        const body = buildBulkBody(pending, deadLetterActions, { indexOf: () => index })
        const result = await post(body, `/_bulk${query(options.filterPath, undefined)}`, pending.length, false, AbortSignal.timeout(options.timeoutMs))
        if (result.status === 'delivered') {
          pending = []
        } else if (result.status === 'partial') {
          refused += result.rejected.length
          if (result.rejected.length > 0) problem = `Elasticsearch refused them (${result.rejected[0]!.reason})`
          const retry = new Set(result.retry)
          pending = pending.filter((_, i) => retry.has(i))
        } else {
          problem =
            result.status === 'too-large'
              ? 'the request was too large'
              : result.status === 'malformed'
                ? `Elasticsearch refused the request (${result.reason})`
                : result.error.message
          if (result.status === 'fatal' || result.status === 'malformed') break
        }
      }
      if (pending.length === 0 && refused === 0) return
      throw new Error(`${refused + pending.length} of them were not stored: ${problem || 'retries exhausted'}`)
    },

    health: () => hosts.health(),
    reportTo: (report) => hosts.reportTo((message) => report(`${name}: ${message}`)),

    async close() {
      gzip?.close()
      await hosts.close()
    },
  }
}

function query(filterPath: string | false, pipeline: string | undefined): string {
  const params = new URLSearchParams()
  if (filterPath) params.set('filter_path', filterPath)
  if (pipeline) params.set('pipeline', pipeline)
  const text = params.toString().replace(/%2C/g, ',').replace(/%2A/g, '*')
  return text ? `?${text}` : ''
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))
}
