import { readFileSync } from 'node:fs'
import type { ConnectionOptions } from 'node:tls'
import type { LogstashTlsOptions } from './options.js'

/**
 * Node TLS options from the `tls` option: each of ca/cert/key is PEM text, or the path of a
 * file holding it (read once, when the output starts). Throws with the option's name when a
 * file cannot be read; the message never includes key material.
 */
export function tlsConnectOptions(tls: LogstashTlsOptions): ConnectionOptions {
  const options: ConnectionOptions = { rejectUnauthorized: tls.rejectUnauthorized }
  if (tls.ca !== undefined) options.ca = pemOrFile('tls.ca', tls.ca)
  if (tls.cert !== undefined) options.cert = pemOrFile('tls.cert', tls.cert)
  if (tls.key !== undefined) options.key = pemOrFile('tls.key', tls.key)
  if (tls.servername !== undefined) options.servername = tls.servername
  return options
}

function pemOrFile(option: string, value: string): string {
  if (value.includes('-----BEGIN')) return value
  try {
    return readFileSync(value, 'utf8')
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'unreadable'
    throw new Error(`${option}: cannot read the PEM file ${JSON.stringify(value)} (${code}); give PEM text or a readable file path`)
  }
}
