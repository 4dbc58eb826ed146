/** `Basic …` from credentials written in a URL (`https://user:pass@host`), or undefined when it has none. */
export function basicAuthOf(url: URL): string | undefined {
  if (!url.username) return undefined
  return `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
}
