/**
 * Builds `_bulk` request bodies from records by concatenating bytes: for each record one
 * action line, the record itself, and `\n`. Records are never parsed. Action lines are cached
 * per index, so the common case (one index, no ids) copies one shared buffer per record.
 */

export type BulkOp = 'index' | 'create'

const NEWLINE = 0x0a
const ID_SUFFIX = Buffer.from('}}\n')
const PLAIN_ID = /^[\w.:@+-]*$/

/** Action-line pieces for one op type, cached by index name. */
export class ActionLines {
  readonly #op: BulkOp
  readonly #lines = new Map<string, Buffer>()
  readonly #idPrefixes = new Map<string, Buffer>()

  constructor(op: BulkOp) {
    this.#op = op
  }

  /** `{"create":{"_index":"x"}}\n`, or `{"create":{}}\n` when the URL names the index. */
  line(index: string | undefined): Buffer {
    const key = index ?? ''
    let line = this.#lines.get(key)
    if (!line) {
      line = Buffer.from(`{"${this.#op}":{${index === undefined ? '' : `"_index":${JSON.stringify(index)}`}}}\n`)
      this.#lines.set(key, trim(this.#lines, line))
    }
    return line
  }

  /** `{"create":{"_index":"x","_id":` — the id and `}}\n` follow. */
  idPrefix(index: string | undefined): Buffer {
    const key = index ?? ''
    let prefix = this.#idPrefixes.get(key)
    if (!prefix) {
      prefix = Buffer.from(`{"${this.#op}":{${index === undefined ? '' : `"_index":${JSON.stringify(index)},`}"_id":`)
      this.#idPrefixes.set(key, trim(this.#idPrefixes, prefix))
    }
    return prefix
  }
}

/** Keeps the caches small when index names change every hour for months. */
function trim(map: Map<string, Buffer>, value: Buffer): Buffer {
  if (map.size > 1000) map.clear()
  return value
}

export interface BulkTargets {
  /** The index for record `i`, or undefined when the request URL names it. */
  indexOf(i: number): string | undefined
  /** The `_id` for record `i` (idempotent mode), or undefined to let Elasticsearch choose. */
  readonly idOf?: (i: number) => string
}

/**
 * One `_bulk` body for `records`, in order; item `i` of the reply answers record `i`.
 * `alloc` may hand out a reused buffer of at least `size` bytes; the body is its first bytes.
 */
export function buildBulkBody(records: readonly Uint8Array[], actions: ActionLines, targets: BulkTargets, alloc: (size: number) => Buffer = Buffer.allocUnsafe): Buffer {
  const count = records.length
  const heads: Buffer[] = new Array(count)
  const ids: string[] | undefined = targets.idOf ? new Array(count) : undefined
  let size = count // one newline after every record
  for (let i = 0; i < count; i++) {
    const index = targets.indexOf(i)
    if (ids) {
      const raw = targets.idOf!(i)
      const id = PLAIN_ID.test(raw) ? `"${raw}"` : JSON.stringify(raw)
      ids[i] = id
      heads[i] = actions.idPrefix(index)
      size += heads[i]!.length + Buffer.byteLength(id) + ID_SUFFIX.length
    } else {
      heads[i] = actions.line(index)
      size += heads[i]!.length
    }
    size += records[i]!.byteLength
  }
  const body = alloc(size).subarray(0, size)
  let at = 0
  for (let i = 0; i < count; i++) {
    const head = heads[i]!
    body.set(head, at)
    at += head.length
    if (ids) {
      at += body.write(ids[i]!, at)
      body.set(ID_SUFFIX, at)
      at += ID_SUFFIX.length
    }
    const record = records[i]!
    body.set(record, at)
    if (record.indexOf(NEWLINE) !== -1) flattenLines(body, at, at + record.byteLength)
    at += record.byteLength
    body[at++] = NEWLINE
  }
  return body
}

/**
 * A raw newline in a JSON text can only be whitespace (strings escape theirs), but it would
 * split the record across NDJSON lines; a space means the same to the parser.
 */
function flattenLines(body: Buffer, from: number, to: number): void {
  for (let i = from; i < to; i++) if (body[i] === NEWLINE || body[i] === 0x0d) body[i] = 0x20
}
