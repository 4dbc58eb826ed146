/**
 * Secret hygiene for anything logship prints: option and config errors, `test config`,
 * reply excerpts from servers. Redaction happens before a message is built, never after.
 */

export const MASK = '***'

/** Key names whose values are secrets wherever they appear (config keys, query parameters, JSON keys). */
export const SECRET_KEY =
  /pass(word|phrase|wd)?$|pwd|api[_-]?key|access[_-]?key|private[_-]?key|token|secret|authori[sz]ation|bearer|cookie|credential|session|signature|^sig$|^auth$/i

/** scheme://authority… up to the first character that cannot be in a URL. */
const URL_IN_TEXT = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s"'<>`]*)/gi

/**
 * One URL with its credentials masked: userinfo (`user:***@`, or `***@` when there is only a
 * user name, which is then a token) and every query value (`?api_key=***`). The last `@`
 * before the path ends the userinfo, so a password holding `@` is masked whole.
 */
export function redactUrlText(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0] ?? ''
  let rest = url.slice(scheme.length)
  const authorityEnd = rest.search(/[/?#]/)
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd)
  const at = authority.lastIndexOf('@')
  if (at !== -1) {
    const userinfo = authority.slice(0, at)
    const colon = userinfo.indexOf(':')
    const masked = colon === -1 ? MASK : `${userinfo.slice(0, colon)}:${MASK}`
    rest = `${masked}${rest.slice(at)}`
  }
  return `${scheme}${rest.replace(/([?&][^=&#\s]*=)[^&#\s]*/g, `$1${MASK}`)}`
}

/** Every URL inside `text` redacted (see redactUrlText). */
export function redactUrlsIn(text: string): string {
  return text.replace(URL_IN_TEXT, (_, scheme: string, rest: string) => redactUrlText(`${scheme}${rest}`))
}

/**
 * A short, printable excerpt of a server's reply for messages, /healthz and dead-letter
 * reasons: control characters dropped, credentials a server may echo back masked
 * (authorization schemes, secret-looking keys, URLs), at most `max` characters.
 */
export function replyExcerpt(body: string, max = 120): string {
  const flat = body
    .slice(0, 4 * max)
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .trim()
  const masked = redactUrlsIn(flat)
    .replace(/\b(basic|bearer|apikey|token|digest|negotiate)(\s+|%20)[A-Za-z0-9+/=._~:-]+/gi, `$1 ${MASK}`)
    // key=value (query strings, forms, paths a server echoes), also inside quoted strings
    .replace(/([\w.-]+)=([^&#\s",;}]+)/g, (whole, key: string) => (SECRET_KEY.test(key) ? `${key}=${MASK}` : whole))
    .replace(/("?([\w.-]+)"?\s*[:=]\s*)("[^"]*"|[^\s,;&}]+)/g, (whole, prefix: string, key: string) => (SECRET_KEY.test(key) ? `${prefix}${MASK}` : whole))
  return masked.length > max ? `${masked.slice(0, max - 1)}…` : masked
}
