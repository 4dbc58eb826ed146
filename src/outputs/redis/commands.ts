import { IndexNamer, isDynamic, parseIndexTemplate } from '../elasticsearch/index-name.js'
import type { RedisOutputOptions } from './options.js'

/** One command of a batch, and which records (indexes into the batch) it carries. */
export interface BatchCommand {
  readonly args: readonly (string | Buffer)[]
  readonly indexes: readonly number[]
  readonly key: string
}

/**
 * Turns a batch into Redis commands, framing each record by its bytes (never re-encoded):
 * - list: one `RPUSH key r1 r2 …` per key (one key unless the key has date placeholders).
 *   One command is atomic in Redis: all its records are stored, or none.
 * - stream: one `XADD key [MAXLEN ~ n] * <field> <record>` per record.
 */
export class CommandBuilder {
  readonly #options: RedisOutputOptions
  readonly #namer: IndexNamer
  readonly #dynamic: boolean

  constructor(options: RedisOutputOptions) {
    this.#options = options
    const template = parseIndexTemplate(options.key)
    this.#namer = new IndexNamer(template)
    this.#dynamic = isDynamic(template)
  }

  /** The key for one record (its `@timestamp` fills date placeholders; `now` when it has none). */
  keyFor(record: Uint8Array, now: number): string {
    return this.#dynamic ? this.#namer.nameFor(record, now) : this.#options.key
  }

  build(records: readonly Uint8Array[], now = Date.now()): BatchCommand[] {
    const buffers = records.map(asBuffer)
    if (this.#options.dataType === 'stream') {
      const { maxLen, field } = this.#options.stream
      const trim = maxLen > 0 ? ['MAXLEN', '~', String(maxLen)] : []
      return buffers.map((record, i) => {
        const key = this.keyFor(record, now)
        return { key, args: ['xadd', key, ...trim, '*', field, record], indexes: [i] }
      })
    }
    // records keep their order within each key
    const byKey = new Map<string, number[]>()
    for (let i = 0; i < buffers.length; i++) {
      const key = this.keyFor(buffers[i]!, now)
      let indexes = byKey.get(key)
      if (!indexes) byKey.set(key, (indexes = []))
      indexes.push(i)
    }
    return [...byKey].map(([key, indexes]) => ({ key, args: ['rpush', key, ...indexes.map((i) => buffers[i]!)], indexes }))
  }
}

function asBuffer(record: Uint8Array): Buffer {
  return Buffer.isBuffer(record) ? record : Buffer.from(record.buffer, record.byteOffset, record.byteLength)
}
