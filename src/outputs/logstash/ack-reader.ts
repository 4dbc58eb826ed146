import { ACK, ACK_FRAME_BYTES, FrameError, VERSION } from './frames.js'

/**
 * Turns the bytes a Lumberjack server sends (only `2A seq` frames) into sequence numbers,
 * whatever way the socket cuts them into chunks.
 */
export class AckReader {
  readonly #partial = Buffer.alloc(ACK_FRAME_BYTES)
  #filled = 0

  /** Calls `onAck` for every complete ACK in `chunk`; throws FrameError on anything else. */
  push(chunk: Buffer, onAck: (seq: number) => void): void {
    let at = 0
    if (this.#filled > 0) {
      const take = Math.min(ACK_FRAME_BYTES - this.#filled, chunk.length)
      chunk.copy(this.#partial, this.#filled, 0, take)
      this.#filled += take
      at = take
      if (this.#filled < ACK_FRAME_BYTES) return
      this.#filled = 0
      onAck(readAck(this.#partial, 0))
    }
    while (chunk.length - at >= ACK_FRAME_BYTES) {
      onAck(readAck(chunk, at))
      at += ACK_FRAME_BYTES
    }
    if (at < chunk.length) {
      chunk.copy(this.#partial, 0, at)
      this.#filled = chunk.length - at
    }
  }
}

function readAck(bytes: Buffer, at: number): number {
  if (bytes[at] !== VERSION || bytes[at + 1] !== ACK) {
    const got = `expected an ACK frame ('2A'), got bytes 0x${bytes.subarray(at, at + 2).toString('hex')}`
    // a TLS record (alert 0x15 or handshake 0x16, version 0x03): a TLS beats input hearing plain TCP
    if ((bytes[at] === 0x15 || bytes[at] === 0x16) && bytes[at + 1] === 0x03) {
      throw new FrameError(`${got}, a TLS record: this beats input has ssl enabled; set the tls option (e.g. tls: { ca: '/path/to/ca.pem' })`)
    }
    throw new FrameError(`${got}: is this a Logstash beats input?`)
  }
  return bytes.readUInt32BE(at + 2)
}
