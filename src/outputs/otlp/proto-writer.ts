/**
 * A protobuf writer over one growing Buffer, reused batch after batch. A length-delimited
 * field reserves one byte for its length (`begin`) and moves its content right when the
 * length needs more (`end`), so nested messages cost no intermediate objects, unlike
 * protobufjs's fork/ldelim which queues an operation per write.
 */

// wire types
export const VARINT = 0
export const I64 = 1
export const LEN = 2
export const I32 = 5

const INITIAL_BYTES = 64 * 1024
/** A writer that grew past this for one big batch gives the memory back after it. */
const KEEP_BYTES = 8 * 1024 * 1024

export class ProtoWriter {
  buf = Buffer.allocUnsafe(INITIAL_BYTES)
  pos = 0

  reset(): void {
    if (this.buf.length > KEEP_BYTES) this.buf = Buffer.allocUnsafe(INITIAL_BYTES)
    this.pos = 0
  }

  /** Room for `bytes` more bytes. */
  ensure(bytes: number): void {
    const need = this.pos + bytes
    if (need <= this.buf.length) return
    const grown = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2))
    this.buf.copy(grown, 0, 0, this.pos)
    this.buf = grown
  }

  /** A field's tag (field numbers below 16 fit one byte, all of OTLP's logs fields do). */
  tag(field: number, wire: number): void {
    this.varint32((field << 3) | wire)
  }

  varint32(value: number): void {
    this.ensure(5)
    const buf = this.buf
    let v = value >>> 0
    while (v > 127) {
      buf[this.pos++] = (v & 127) | 128
      v >>>= 7
    }
    buf[this.pos++] = v
  }

  /** A safe integer as int64 (negative ones take ten bytes, two's complement), as protobufjs writes it. */
  int64(value: number): void {
    if (value >= 0 && value < 0x80000000) return this.varint32(value)
    const negative = value < 0
    const magnitude = negative ? -value : value
    let lo = magnitude >>> 0
    let hi = ((magnitude - lo) / 4294967296) >>> 0
    if (negative) {
      hi = ~hi >>> 0
      lo = ~lo >>> 0
      if (++lo > 0xffffffff) {
        lo = 0
        hi = (hi + 1) >>> 0
      }
    }
    this.ensure(10)
    const buf = this.buf
    while (hi) {
      buf[this.pos++] = (lo & 127) | 128
      lo = ((lo >>> 7) | (hi << 25)) >>> 0
      hi >>>= 7
    }
    while (lo > 127) {
      buf[this.pos++] = (lo & 127) | 128
      lo >>>= 7
    }
    buf[this.pos++] = lo
  }

  double(value: number): void {
    this.ensure(8)
    this.buf.writeDoubleLE(value, this.pos)
    this.pos += 8
  }

  fixed32(value: number): void {
    this.ensure(4)
    this.buf.writeUInt32LE(value >>> 0, this.pos)
    this.pos += 4
  }

  /** fixed64 of the value's low 64 bits (as the reference encoder truncates). */
  fixed64(value: bigint): void {
    this.ensure(8)
    this.buf.writeBigUInt64LE(BigInt.asUintN(64, value), this.pos)
    this.pos += 8
  }

  /** Opens a length-delimited field's content; returns where it starts, for `end`. */
  begin(): number {
    this.ensure(1)
    return ++this.pos
  }

  /** Closes the content opened at `start`: writes its length, moving it right when the length needs more than a byte. */
  end(start: number): void {
    const length = this.pos - start
    if (length < 128) {
      this.buf[start - 1] = length
      return
    }
    const size = length < 1 << 14 ? 2 : length < 1 << 21 ? 3 : length < 1 << 28 ? 4 : 5
    this.ensure(size - 1)
    this.buf.copyWithin(start - 1 + size, start, this.pos)
    this.pos += size - 1
    let v = length
    let at = start - 1
    while (v > 127) {
      this.buf[at++] = (v & 127) | 128
      v >>>= 7
    }
    this.buf[at] = v
  }

  /** A string's UTF-8 (a lone surrogate becomes U+FFFD), length-delimited. */
  string(value: string): void {
    const start = this.begin()
    this.ensure(value.length * 3)
    this.pos += this.buf.write(value, this.pos)
    this.end(start)
  }

  /** Bytes `from`..`to` of `source`, length-delimited. */
  rawBytes(source: Buffer, from: number, to: number): void {
    const length = to - from
    this.varint32(length)
    this.ensure(length)
    if (length > 64) {
      this.pos += source.copy(this.buf, this.pos, from, to)
      return
    }
    // short copies (keys, most values) are cheaper as a loop than through Buffer#copy
    const buf = this.buf
    let pos = this.pos
    for (let i = from; i < to; i++) buf[pos++] = source[i]!
    this.pos = pos
  }

  /** A copy of what was written (the writer is reused for the next batch). */
  copy(): Uint8Array {
    return Uint8Array.prototype.slice.call(this.buf, 0, this.pos)
  }
}
