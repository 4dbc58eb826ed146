import { createRequire } from 'node:module'
import { z } from '../util/zod.js'
import { fieldPath, getField, isObject, setField } from './fields.js'
import { ProcessorFailure, type ProcessorDefinition } from './types.js'
import { lazySchema } from '../util/lazy-schema.js'

const schema = lazySchema(() =>
  z.strictObject({
    /** The field holding the User-Agent header. @default 'user_agent.original' (where the nginx and apache modules put it) */
    field: z.string('expected a field name').min(1, 'expected a field name').default('user_agent.original'),
    /** Where the ECS fields go (`<targetField>.name`, `.version`, `.os.*`, `.device.name`, `.original`). @default 'user_agent' */
    targetField: z.string('expected a field name').min(1, 'expected a field name').default('user_agent'),
    /** false: an event without the field fails. @default false */
    ignoreMissing: z.boolean('expected true or false').default(false),
  }),
)

type UserAgent = Record<string, unknown>

/** Remembered answers: a site sees the same few hundred User-Agent strings over and over. */
const CACHE_SIZE = 2048

/**
 * ECS `user_agent.*` from a User-Agent string, with Bowser (MIT) as the parser. A tool that
 * Bowser does not know (`curl/8.4.0`, `python-requests/2.31`) is named by its first product token.
 */
export const userAgent: ProcessorDefinition<typeof schema> = {
  schema,
  compile(o) {
    const source = fieldPath(o.field)
    const target = fieldPath(o.targetField)
    const cache = new Map<string, UserAgent>()
    return (event) => {
      const text = getField(event, source)
      if (text === undefined) {
        if (o.ignoreMissing) return true
        throw new ProcessorFailure(`field ${o.field} is missing (set ignoreMissing: true to allow it)`)
      }
      if (typeof text !== 'string') throw new ProcessorFailure(`field ${o.field} is not a string`)
      let parsed = cache.get(text)
      if (parsed === undefined) {
        parsed = parseUserAgent(text)
        if (cache.size >= CACHE_SIZE) cache.clear()
        cache.set(text, parsed)
      }
      const existing = getField(event, target)
      const out = isObject(existing) ? existing : {}
      for (const [k, v] of Object.entries(parsed)) out[k] = typeof v === 'object' && v !== null ? { ...(v as object) } : v
      if (out !== existing) setField(event, target, out)
      return true
    }
  },
}

interface ParsedUserAgent {
  browser: { name?: string; version?: string }
  os: { name?: string; version?: string; versionName?: string }
  platform: { type?: string; vendor?: string; model?: string }
}

/** Loaded on first use: start-up does not pay for a parser most configs never use. */
let bowser: { parse(ua: string): ParsedUserAgent } | undefined

const PRODUCT = /^([A-Za-z][\w.-]*)\/(\d[\w.]*)/

/** The ECS fields of one User-Agent string (only those it tells). */
function parseUserAgent(text: string): UserAgent {
  bowser ??= createRequire(import.meta.url)('bowser') as { parse(ua: string): ParsedUserAgent }
  const { browser, os, platform } = bowser.parse(text)
  const out: UserAgent = { original: text }
  const product = browser.name ? undefined : PRODUCT.exec(text)
  const name = browser.name || product?.[1]
  const version = browser.name ? browser.version : product?.[2]
  if (name) out.name = name
  if (version) out.version = version
  if (os.name) {
    // Windows says "NT 10.0"; people (and Elasticsearch's user_agent processor) say "10"
    const osVersion = os.name === 'Windows' && os.versionName ? os.versionName : os.version
    out.os = { name: os.name, ...(osVersion ? { version: osVersion, full: `${os.name} ${osVersion}` } : { full: os.name }) }
  }
  out.device = { name: platform.model || (platform.type === 'bot' ? 'Spider' : 'Other') }
  return out
}
