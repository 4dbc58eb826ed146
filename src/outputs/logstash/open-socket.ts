import { connect as connectTcp, isIP, type Socket } from 'node:net'
import type { ConnectionOptions } from 'node:tls'
import { lazyRequire } from '../../util/lazy-require.js'
import type { HostAddress } from './options.js'

const tlsModule = lazyRequire<typeof import('node:tls')>('node:tls')

/** What happens to a socket opened by `openSocket`, in the connection's terms. */
export interface SocketListener {
  /** Connected (TLS: the handshake is done). */
  connected(): void
  data(chunk: Buffer): void
  /** An error, or no connection within the timeout. `serverClosed`: the server reset the connection (ECONNRESET, EPIPE). */
  failed(err: unknown, serverClosed: boolean): void
  closed(): void
}

/**
 * Opens a TCP (or, with `tls`, TLS) socket to a beats input with Nagle's algorithm off,
 * fails it when it has not connected within `timeoutMs`, and reports its events to `listener`.
 * The host name is resolved on every call: a new node behind a DNS name gets traffic.
 */
export function openSocket(address: HostAddress, tls: ConnectionOptions | undefined, timeoutMs: number, listener: SocketListener): Socket {
  const options = { host: address.host, port: address.port }
  const socket = tls
    ? tlsModule().connect({ ...tls, ...options, ...(tls.servername === undefined && isIP(address.host) === 0 ? { servername: address.host } : {}) })
    : connectTcp(options)
  socket.setNoDelay(true)
  const connectTimer = setTimeout(() => listener.failed(new Error(`no connection within timeoutMs (${timeoutMs} ms)`), false), timeoutMs)
  socket.once(tls ? 'secureConnect' : 'connect', () => {
    clearTimeout(connectTimer)
    listener.connected()
  })
  socket.on('data', (chunk: Buffer) => listener.data(chunk))
  socket.on('error', (err) => {
    clearTimeout(connectTimer)
    const code = (err as { code?: unknown }).code
    listener.failed(err, code === 'ECONNRESET' || code === 'EPIPE')
  })
  socket.on('close', () => {
    clearTimeout(connectTimer)
    listener.closed()
  })
  return socket
}

/** `host:port`, IPv6 in brackets. */
export function hostLabel({ host, port }: HostAddress): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`
}

/**
 * Ends the socket politely (the server sees a FIN); destroys it if it is not closed within a
 * second. `background`: nobody waits for it, so its timer must not keep the process alive.
 */
export function endSocket(socket: Socket, background = false): Promise<void> {
  if (socket.destroyed) return Promise.resolve()
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => socket.destroy(), 1000)
    if (background) timer.unref()
    socket.once('close', () => {
      clearTimeout(timer)
      resolve()
    })
    socket.end()
  })
}
