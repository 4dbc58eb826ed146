import { StringDecoder } from 'node:string_decoder'

/**
 * Turns whatever a stream's write() is given into complete lines: a line may arrive over
 * several chunks, and so may a multi-byte UTF-8 character (the decoder holds its first
 * bytes until the rest comes). A line longer than `maxLineChars` is handed over in pieces
 * rather than held without bound.
 */
export class LineSplitter {
  readonly #decoder = new StringDecoder('utf8')
  readonly #maxLineChars: number
  /** True when the last Buffer chunk may have left bytes in the decoder. */
  #decoderDirty = false
  #partial = ''

  constructor(maxLineChars: number) {
    this.#maxLineChars = maxLineChars
  }

  /** Feeds one chunk; calls `onLine` for every line it completes (without \n or \r\n). */
  push(chunk: unknown, encoding: BufferEncoding | undefined, onLine: (line: string) => void): void {
    const text = this.#decode(chunk, encoding)
    if (text.length === 0) return
    let start = 0
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      const piece = text.slice(start, nl)
      const line = this.#partial.length > 0 ? this.#partial + piece : piece
      this.#partial = ''
      onLine(line.endsWith('\r') ? line.slice(0, -1) : line)
      start = nl + 1
    }
    if (start < text.length) this.#partial += text.slice(start)
    if (this.#partial.length > this.#maxLineChars) {
      const long = this.#partial
      this.#partial = ''
      onLine(long)
    }
  }

  /** What is left (a last line without a newline, bytes of an unfinished character). */
  end(onLine: (line: string) => void): void {
    const rest = this.#partial + this.#decoder.end()
    this.#partial = ''
    this.#decoderDirty = false
    if (rest.length > 0) onLine(rest)
  }

  #decode(chunk: unknown, encoding: BufferEncoding | undefined): string {
    if (typeof chunk === 'string') {
      const utf8 = encoding === undefined || encoding === 'utf8' || encoding === 'utf-8'
      // a plain string is whole characters, unless a Buffer before it left half of one
      if (utf8 && !this.#decoderDirty) return chunk
      this.#decoderDirty = !utf8 // utf8 text completes any held character; hex or base64 may not
      return this.#decoder.write(Buffer.from(chunk, encoding))
    }
    if (chunk instanceof Uint8Array) {
      this.#decoderDirty = true
      return this.#decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))
    }
    return ''
  }
}
