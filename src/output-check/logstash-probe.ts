import { connect as connectTcp, isIP } from 'node:net'
import { connect as connectTls } from 'node:tls'
import type { LogstashOutputOptions } from '../outputs/logstash/options.js'
import { parseHost } from '../outputs/logstash/options.js'
import { tlsConnectOptions } from '../outputs/logstash/tls-material.js'
import { explainConnectionError } from '../outputs/logstash/connect-errors.js'
import { describeError } from '../errors.js'
import type { HostCheck } from './types.js'
import { tlsWords } from './tls.js'

/**
 * Connects to every Logstash host (with the TLS handshake when `tls` is set) and closes again
 * without sending a frame: the beats protocol has no greeting, so a connection that opens (and
 * a certificate that verifies) is all that can be checked without sending events; `--write`
 * sends one and waits for its ACK.
 */
export async function probeLogstash(options: LogstashOutputOptions, timeoutMs: number): Promise<HostCheck[]> {
  let tls: ReturnType<typeof tlsConnectOptions> | undefined
  try {
    tls = options.tls ? tlsConnectOptions(options.tls) : undefined
  } catch (err) {
    return options.hosts.map((host) => ({ host, ok: false, message: describeError(err) }))
  }
  return Promise.all(
    options.hosts.map(
      (host) =>
        new Promise<HostCheck>((resolve) => {
          const address = parseHost(host)!
          const target = { host: address.host, port: address.port }
          const socket = tls
            ? connectTls({ ...tls, ...target, ...(tls.servername === undefined && isIP(address.host) === 0 ? { servername: address.host } : {}) })
            : connectTcp(target)
          const done = (check: HostCheck): void => {
            clearTimeout(timer)
            socket.destroy()
            resolve(check)
          }
          const timer = setTimeout(
            () =>
              done({
                host,
                ok: false,
                message: `no connection to ${host} within ${timeoutMs} ms: check the address, the port (Logstash's beats input listens on 5044 by default) and any firewall`,
              }),
            timeoutMs,
          )
          socket.once(tls ? 'secureConnect' : 'connect', () =>
            done({
              host,
              ok: true,
              message: `${host} accepts ${tls ? `TLS connections (${tlsWords(options.tls)}) ` : 'connections '}(the beats protocol has no greeting: use --write to send a test event and wait for its ACK)`,
            }),
          )
          socket.once('error', (err) => done({ host, ok: false, message: explainConnectionError(err, host).message }))
        }),
    ),
  )
}
