// Apart from the server so that the shipper can warn without loading it (and prom-client).
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/i

/** The warning for a stats endpoint other machines can reach (empty on loopback). */
export function exposureWarnings(options: { host: string; token?: string | undefined }): string[] {
  const host = options.host.replace(/^\[|\]$/g, '')
  if (LOOPBACK.test(host)) return []
  const who =
    options.token === undefined
      ? 'to anyone who can reach this machine (set http.token to require a bearer token)'
      : 'to clients that send http.token, over plain HTTP (the token can be read on the network path)'
  return [
    `http.host is ${options.host}: /metrics, /stats and /healthz (output names, hosts, error reasons) are served beyond this machine ${who}; keep the default 127.0.0.1 unless a scraper elsewhere needs them`,
  ]
}
