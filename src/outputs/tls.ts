import { readFileSync, statSync } from 'node:fs'
import { z } from '../util/zod.js'
import { lazySchema } from '../util/lazy-schema.js'

const pem = lazySchema(() => z.string('expected PEM text or the path of a PEM file').min(1, 'expected PEM text or the path of a PEM file'))

/** The one `tls` option shape of every network output (elasticsearch, http, logstash). */
export const tlsSchema = lazySchema(() =>
  z.strictObject({
    /** CA certificate(s) that signed the server's certificate: PEM text or a file path. Default: Node's bundled CAs. */
    ca: pem.optional(),
    /** Client certificate for mutual TLS: PEM text or a file path. */
    cert: pem.optional(),
    /** Private key of `cert`: PEM text or a file path (which should be mode 0600). */
    key: pem.optional(),
    /** Refuse servers whose certificate does not verify. Default true; turn off only for tests (logship warns while it is off). */
    rejectUnauthorized: z.boolean('expected true or false').default(true),
    /** Name to verify the server certificate against (and send as SNI). Default: the host name. */
    servername: z.string().min(1, 'expected a host name').optional(),
  }),
)

export type TlsOptions = z.output<typeof tlsSchema>

/** What node:tls and undici's `connect` take (a subset of both). */
export interface TlsConnectOptions {
  rejectUnauthorized: boolean
  ca?: string
  cert?: string
  key?: string
  servername?: string
}

function isPem(value: string): boolean {
  return value.includes('-----BEGIN')
}

function pemOrFile(option: string, value: string): string {
  if (isPem(value)) return value
  try {
    return readFileSync(value, 'utf8')
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'unreadable'
    throw new Error(`${option}: cannot read the PEM file ${JSON.stringify(value)} (${code}); give PEM text or a readable file path`)
  }
}

/**
 * Node TLS options from the `tls` option: each of ca/cert/key is PEM text, or the path of a
 * file holding it (read once, when the output starts). Throws with the option's name when a
 * file cannot be read; the message never includes key material.
 */
export function tlsConnectOptions(tls: Partial<TlsOptions>): TlsConnectOptions {
  const options: TlsConnectOptions = { rejectUnauthorized: tls.rejectUnauthorized ?? true }
  if (tls.ca !== undefined) options.ca = pemOrFile('tls.ca', tls.ca)
  if (tls.cert !== undefined) options.cert = pemOrFile('tls.cert', tls.cert)
  if (tls.key !== undefined) options.key = pemOrFile('tls.key', tls.key)
  if (tls.servername !== undefined) options.servername = tls.servername
  return options
}

/** Warnings about an output's TLS settings: verification off, a private key file others can read. */
export function tlsWarnings(output: { type: string; tls?: Partial<TlsOptions> | undefined }): string[] {
  const tls = output.tls
  if (!tls) return []
  const warnings: string[] = []
  if (tls.rejectUnauthorized === false) {
    warnings.push(
      `output.tls.rejectUnauthorized is false: the ${output.type} output does NOT verify the server's certificate, so anyone on the network path can read and change what is shipped (and see its credentials); set output.tls.ca to the CA that signed the server's certificate instead`,
    )
  }
  if (tls.key !== undefined && !isPem(tls.key)) {
    try {
      const mode = statSync(tls.key).mode & 0o777
      if (mode & 0o077)
        warnings.push(
          `output.tls.key ${tls.key} is readable by ${mode & 0o007 ? 'every user' : 'its group'} (mode ${mode.toString(8).padStart(3, '0')}); a private key should be mode 0600: chmod 600 ${tls.key}`,
        )
    } catch {
      // unreadable: the output says so when it starts
    }
  }
  return warnings
}
