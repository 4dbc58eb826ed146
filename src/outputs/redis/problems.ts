import { describeError } from '../../errors.js'
import { CERTIFICATE_CODES, certificateDateProblem } from '../../tls-errors.js'
import { replyExcerpt } from '../../redact.js'

/** What went wrong, in plain words with what to do, and whether retrying can help. */
export interface Problem {
  readonly message: string
  /** Configuration or credentials: nothing works until someone changes them. */
  readonly fatal: boolean
}

export interface ProblemContext {
  /** `redis://host:port/db`, never with credentials. */
  readonly where: string
  readonly key: string
  /** The configured key, placeholders and all (for ACL key patterns). */
  readonly keyTemplate?: string | undefined
  readonly dataType: 'list' | 'stream'
  readonly username: string | undefined
  /** What the key holds, when a WRONGTYPE made us look (TYPE key). */
  readonly actualType?: string | undefined
}

/** The error code Redis puts first in an error reply (`OOM`, `WRONGTYPE`, `NOPERM`, …). */
export function replyCode(message: string): string {
  return /^[A-Z]+/.exec(message)?.[0] ?? ''
}

/** Plain words for an error reply from Redis to a write. */
export function explainReply(message: string, ctx: ProblemContext): Problem {
  const said = replyExcerpt(message, 200)
  const { where, key, dataType } = ctx
  const command = dataType === 'list' ? 'rpush' : 'xadd'
  switch (replyCode(message)) {
    case 'OOM':
      return {
        fatal: false,
        message: `${where} is full (${said}): it stored nothing of this batch; logship keeps the events and retries with backoff. Let the consumers drain "${key}", raise maxmemory${dataType === 'stream' ? ', or lower output.stream.maxLen' : ''}`,
      }
    case 'WRONGTYPE':
      return {
        fatal: true,
        message: `the key "${key}" on ${where} holds a ${ctx.actualType ?? 'value of another type'}, not a ${dataType} (${said}); delete it (DEL ${key}) if nothing needs it, or set output.key to another key; logship keeps the events and retries`,
      }
    case 'NOAUTH':
      return { fatal: true, message: `${where} requires authentication (${said}); give the password in output.password (and output.username for an ACL user) or in the URL` }
    case 'WRONGPASS':
      return {
        fatal: true,
        message: `${where} rejected the ${ctx.username ? `password of the user "${ctx.username}"` : 'password'} (${said}); check output.username and output.password (or the URL's credentials), and that the ACL user is enabled`,
      }
    case 'NOPERM': {
      const user = ctx.username ?? 'default'
      return {
        fatal: true,
        message: `${where}: the user "${user}" lacks a permission (${said}); it needs ${command} (and multi, exec) on the key, e.g. ACL SETUSER ${user} +${command} +multi +exec ~${keyPattern(ctx.keyTemplate ?? key)}`,
      }
    }
    case 'READONLY':
      return { fatal: false, message: `${where} is a read-only replica (${said}); point output.url at the primary; logship retries` }
    case 'LOADING':
      return { fatal: false, message: `${where} is loading its data into memory after a restart (${said}); logship retries` }
    case 'MISCONF':
      return { fatal: false, message: `${where} refuses writes because it cannot save to disk (${said}); fix the disk or the dir of redis-server; logship retries` }
    case 'MOVED':
    case 'ASK':
    case 'CROSSSLOT':
      return { fatal: true, message: `${where} is a Redis Cluster node (${said}); logship's redis output talks to one server (or a proxy): point output.url at a standalone Redis` }
    default:
      if (/unknown command/i.test(message)) {
        return { fatal: true, message: `${where} does not know ${command.toUpperCase()} (${said}); streams need Redis 5 or later: upgrade, or use dataType: list` }
      }
      return { fatal: false, message: `${where} answered an error (${said}); logship retries` }
  }
}

/** `logs-%{+yyyy.MM.dd}` → `logs-*` for ACL key patterns. */
function keyPattern(key: string): string {
  return key.replace(/%\{[^}]*\}/g, '*')
}

/** Plain words for a connection that could not be made or was lost. */
export function explainConnection(err: unknown, where: string, timeoutMs: number, username?: string): Problem {
  const e = err as { code?: unknown; reason?: unknown; message?: unknown } | undefined
  const code = typeof e?.code === 'string' ? e.code : ''
  const text = typeof e?.reason === 'string' && code ? `${e.reason} (${code})` : describeError(err)
  if (typeof e?.message === 'string' && replyCode(e.message) !== '' && /^(NOAUTH|WRONGPASS|NOPERM|LOADING|ERR)/.test(e.message)) {
    return explainReply(e.message, { where, key: '', dataType: 'list', username })
  }
  if (code === 'ECONNREFUSED')
    return { fatal: false, message: `${where} refused the connection (ECONNREFUSED): is redis-server running and listening on that port? logship retries with backoff` }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { fatal: false, message: `cannot resolve the host of ${where} (${code}); check its spelling and DNS` }
  if (code === 'ETIMEDOUT' || /timed? ?out/i.test(text)) {
    return { fatal: false, message: `no connection to ${where} within ${timeoutMs} ms; a firewall may drop the packets, or the server is overloaded; logship retries` }
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return { fatal: true, message: `TLS: the certificate of ${where} is not issued for that name (${text}); connect by a name it lists, or set output.tls.servername` }
  const dates = certificateDateProblem(code, `the certificate of ${where}`, text)
  if (dates) return { fatal: true, message: dates }
  if (CERTIFICATE_CODES.has(code))
    return { fatal: true, message: `TLS: the certificate of ${where} is not trusted (${text}); set output.tls.ca to the CA certificate that signed it` }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO')
    return { fatal: true, message: `TLS: ${where} did not answer with TLS (${text}); use a redis:// URL (and no tls option) if it has no TLS port` }
  if (code === 'ECONNRESET' || code === 'EPIPE')
    return { fatal: false, message: `${where} closed the connection (${text}); if the port expects TLS, use a rediss:// URL; logship retries` }
  return { fatal: false, message: `${where}: ${text}; logship retries` }
}
