import { hostname } from 'node:os'
import { VERSION } from '../version.js'
import { FLAG_MULTILINE, FLAG_TRUNCATED } from './multiline.js'
import { mergeParsed } from './parsers.js'
import type { EntryParser, ParsedText, TextParsing } from './entry-parser.js'
import { fillMissing, overlay } from '../util/merge.js'
import { escapeJsonBytes, escapedBound } from './json-bytes.js'
import { metadataFirst } from '../processors/apply.js'
import type { ProcessorChain } from '../processors/compile.js'

/** One staging buffer for every builder: encoding and offering a record is synchronous. */
let staging = Buffer.allocUnsafe(256 * 1024)

const ECS_VERSION = '8.11.0'

/** Keys every document has; `fields` that use them are merged (the document's values win). */
const BASE_KEYS = new Set(['@timestamp', 'message', 'log', 'input', 'host', 'agent', 'ecs'])

export interface DocumentOptions {
  /** `file` or `stdin`: the document's `input.type`. */
  inputType: string
  /** Config `fields` merged with the input's `fields` (the input's win). */
  fields?: Record<string, unknown> | undefined
  parser?: EntryParser | undefined
  hostName?: string
  /** The input's `processors` then the config's, compiled (docs/processors.md). */
  processors?: ProcessorChain | undefined
}

/**
 * Builds one ECS document per entry and encodes it once: the parts that are the same for
 * every entry of a file are JSON text made in advance; the entry adds its timestamp, message,
 * offset and flags. With a parser (or `fields` that touch the document's own keys), the
 * document is built as an object, merged, and stringified once.
 */
export class DocumentBuilder {
  readonly #fields: Record<string, unknown> | undefined
  readonly #parser: EntryParser | undefined
  readonly #processors: ProcessorChain | undefined
  readonly #asObject: boolean
  /** The parser's text rendering, when nothing else is merged into the document. */
  readonly #textParsing: TextParsing | undefined
  readonly #inputType: string
  readonly #hostName: string
  #path: string | undefined
  #pathText = ''
  #tail: string
  /** `#tail` without its closing brace: a parser's members go before it. */
  readonly #tailOpen: string
  #pathBytes = Buffer.alloc(0)
  readonly #tailBytes: Buffer

  constructor(options: DocumentOptions) {
    this.#fields = options.fields && Object.keys(options.fields).length > 0 ? options.fields : undefined
    this.#parser = options.parser
    this.#inputType = options.inputType
    this.#hostName = options.hostName ?? hostname()
    this.#processors = options.processors
    this.#asObject = this.#parser !== undefined || this.#processors !== undefined || Object.keys(this.#fields ?? {}).some((k) => BASE_KEYS.has(k))
    const fieldsText = this.#fields ? `,${JSON.stringify(this.#fields).slice(1, -1)}` : ''
    this.#tail = `},"input":{"type":${JSON.stringify(this.#inputType)}},"host":{"name":${JSON.stringify(this.#hostName)}},"agent":{"type":"logship","version":"${VERSION}"},"ecs":{"version":"${ECS_VERSION}"}${fieldsText}}`
    this.#tailBytes = Buffer.from(this.#tail)
    this.#tailOpen = this.#tail.slice(0, -1)
    const asText = this.#parser?.asText
    const fieldKeys = Object.keys(this.#fields ?? {})
    this.#textParsing = asText && !this.#processors && !fieldKeys.some((k) => BASE_KEYS.has(k) || asText.keys.has(k)) ? asText : undefined
  }

  /** The file's current path (it changes when the file is renamed). */
  setPath(path: string | undefined): void {
    this.#path = path
    this.#pathText = path === undefined ? '' : `,"file":{"path":${JSON.stringify(path)}}`
    this.#pathBytes = Buffer.from(this.#pathText)
  }

  /**
   * The document for one entry as JSON text. `timestamp` is an ISO time (when it was read).
   * `id` (idempotent Elasticsearch output) goes first, as `@metadata._id`: the output takes it
   * out and uses it as the document's `_id`. Undefined: a processor dropped the entry.
   */
  build(message: string, offset: number, flags: number, timestamp: string, id?: string): string | undefined {
    if (this.#asObject) {
      const parsed = this.#parseText(message)
      return parsed === undefined ? this.#buildObject(message, offset, flags, timestamp, id) : this.#textDocument(message, offset, flags, timestamp, id, parsed)
    }
    const flagText = flags === 0 ? '' : `,"flags":${flagsJson(flags)}`
    return `{${id === undefined ? '' : `"@metadata":{"_id":"${id}"},`}"@timestamp":"${timestamp}","message":${JSON.stringify(message)},"log":{"offset":${offset}${this.#pathText}${flagText}${this.#tail}`
  }

  /** Whether `encode` may be used (no parser, no fields touching the document's own keys). */
  get encodesBytes(): boolean {
    return !this.#asObject
  }

  /**
   * The same document as `build`, made from the line's UTF-8 bytes without decoding them.
   * Returns a view of a shared buffer, valid until the next call.
   */
  encode(src: Buffer, from: number, to: number, offset: number, flags: number, timestamp: string, id?: string): Buffer {
    const need = 160 + escapedBound(to - from) + this.#pathBytes.length + this.#tailBytes.length + (id === undefined ? 0 : id.length + 32)
    if (staging.length < need) staging = Buffer.allocUnsafe(Math.max(need, staging.length * 2))
    const out = staging
    let at = id === undefined ? 0 : out.write(`{"@metadata":{"_id":"${id}"},`, 0, 'latin1')
    at += out.write(at === 0 ? '{"@timestamp":"' : '"@timestamp":"', at, 'latin1')
    at += out.write(timestamp, at, 'latin1')
    at += out.write('","message":"', at, 'latin1')
    at = escapeJsonBytes(src, from, to, out, at)
    at += out.write('","log":{"offset":', at, 'latin1')
    at += out.write(String(offset), at, 'latin1')
    at += this.#pathBytes.copy(out, at)
    if (flags !== 0) at += out.write(`,"flags":${flagsJson(flags)}`, at, 'latin1')
    at += this.#tailBytes.copy(out, at)
    return out.subarray(0, at)
  }

  #parseText(message: string): ParsedText | undefined {
    if (this.#textParsing === undefined) return undefined
    try {
      return this.#textParsing.parse(message)
    } catch {
      return undefined // the object path reports the parser's failure in the document
    }
  }

  /** What `#buildObject` gives when the only thing merged is the parser's fields, as text from the start. */
  #textDocument(message: string, offset: number, flags: number, timestamp: string, id: string | undefined, parsed: ParsedText): string {
    const metadata = id === undefined ? '' : `"@metadata":{"_id":${JSON.stringify(id)}},`
    const flagText = flags === 0 ? '' : `,"flags":${flagsJson(flags)}`
    return `{${metadata}"@timestamp":${JSON.stringify(parsed.timestamp ?? timestamp)},"message":${JSON.stringify(message)},"log":{"offset":${offset}${this.#pathText}${flagText}${this.#tailOpen}${parsed.members}}`
  }

  #buildObject(message: string, offset: number, flags: number, timestamp: string, id: string | undefined): string | undefined {
    const log: Record<string, unknown> = { offset }
    if (this.#path !== undefined) log.file = { path: this.#path }
    if (flags !== 0) log.flags = flagList(flags)
    const doc: Record<string, unknown> = {
      ...(id === undefined ? {} : { '@metadata': { _id: id } }),
      '@timestamp': timestamp,
      message,
      log,
      input: { type: this.#inputType },
      host: { name: this.#hostName },
      agent: { type: 'logship', version: VERSION },
      ecs: { version: ECS_VERSION },
    }
    if (this.#fields) fillMissing(doc, this.#fields)
    if (this.#parser) {
      let parsed: Record<string, unknown>
      try {
        parsed = this.#parser(message)
      } catch (err) {
        parsed = { error: { message: `parser failed: ${err instanceof Error ? err.message : String(err)}` }, tags: ['_logship_parse_failure'] }
      }
      mergeParsed(doc, parsed)
    }
    if (id !== undefined) doc['@metadata'] = { _id: id } // first key, as the output expects
    if (this.#processors && !this.#processors(doc)) return undefined
    return JSON.stringify(this.#processors ? metadataFirst(doc) : doc)
  }
}

function flagList(flags: number): string[] {
  const list: string[] = []
  if (flags & FLAG_MULTILINE) list.push('multiline')
  if (flags & FLAG_TRUNCATED) list.push('truncated')
  return list
}

const FLAG_JSON = ['[]', '["truncated"]', '["multiline"]', '["multiline","truncated"]']
function flagsJson(flags: number): string {
  return FLAG_JSON[flags & 3]!
}

/** Config `fields` under the input's `fields` (the input's win). */
export function mergeFields(global: Record<string, unknown> | undefined, own: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!global) return own
  if (!own) return global
  // A new object; what it shares with `global` is copied again where a document takes it (fillMissing).
  return overlay(global, own)
}
