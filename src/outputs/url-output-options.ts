import { z } from '../util/zod.js'
import { lazySchema } from '../util/lazy-schema.js'

/**
 * Option pieces shared by the outputs that POST to URLs (elasticsearch, loki): the same key
 * means the same thing, takes the same values and fails with the same words in each.
 */

/** An http:// or https:// URL; `example` goes into the error message. */
export const httpUrl = (example: string) => z.url({ protocol: /^https?$/, error: `expected an http:// or https:// URL such as ${example}` })

/** `auth: { username, password }`: HTTP Basic. */
export const basicAuth = lazySchema(() => z.strictObject({ username: z.string().min(1), password: z.string() }))
/** `auth: { bearer }`: a bearer token, e.g. a service account token. */
export const bearerAuth = lazySchema(() => z.strictObject({ bearer: z.string().min(1) }))
/** `auth: { apiKey }`: an Elasticsearch API key, the `encoded` value it returns or `id:api_key`. */
export const apiKeyAuth = lazySchema(() => z.strictObject({ apiKey: z.string().min(1) }))

export type UrlOutputAuth = z.output<typeof basicAuth> | z.output<typeof bearerAuth> | z.output<typeof apiKeyAuth>

/** Extra request headers. */
export const headersOption = () => z.record(z.string(), z.string()).default({})

/** Request bodies gzip-compressed (level 1) or not. Default 'gzip'. */
export const compressionOption = () => z.union([z.literal('gzip'), z.literal(false)], { error: "expected 'gzip' or false" }).default('gzip')

/** Longest time one request may take. */
export const timeoutMsOption = (defaultMs: number) => z.number().int().min(1).default(defaultMs)

/** Requests in flight at once. */
export const maxInFlightOption = (defaultCount: number) => z.number().int().min(1).max(64).default(defaultCount)

/** The `Authorization` header for configured credentials. */
export function authorizationOf(auth: UrlOutputAuth | undefined): string | undefined {
  if (!auth) return undefined
  if ('username' in auth) return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`
  if ('apiKey' in auth) {
    // `id:api_key` is what Beats configs hold; Elasticsearch wants it base64-encoded
    const key = auth.apiKey.includes(':') ? Buffer.from(auth.apiKey).toString('base64') : auth.apiKey
    return `ApiKey ${key}`
  }
  return `Bearer ${auth.bearer}`
}
