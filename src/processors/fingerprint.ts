import { lazyRequire } from '../util/lazy-require.js'
import { z } from '../util/zod.js'
import { fieldPath, getField, setField } from './fields.js'
import { ProcessorFailure, type ProcessorDefinition } from './types.js'
import { lazySchema } from '../util/lazy-schema.js'

const crypto = lazyRequire<typeof import('node:crypto')>('node:crypto')

const schema = lazySchema(() =>
  z.strictObject({
    fields: z
      .array(z.string('expected a field name').min(1, 'expected a field name'), "expected a list of field names such as ['message', 'log.offset']")
      .min(1, 'expected at least one field'),
    /** Where the hash goes. `@metadata._id` makes it the Elasticsearch `_id` (with `idempotent: true`). @default 'fingerprint' */
    targetField: z.string('expected a field name').min(1, 'expected a field name').default('fingerprint'),
    method: z.enum(['md5', 'sha1', 'sha256', 'sha384', 'sha512'], 'expected md5 | sha1 | sha256 | sha384 | sha512 (xxhash is not available)').default('sha256'),
    encoding: z.enum(['hex', 'base32', 'base64'], 'expected hex | base32 | base64').default('hex'),
    /** false: an event without one of the fields fails. @default false */
    ignoreMissing: z.boolean('expected true or false').default(false),
  }),
)

/**
 * A stable id from field values: the same fields give the same hash, in any order of keys.
 * Fields are hashed sorted by name, each as `|name|value` (objects as JSON), then a closing `|`.
 */
export const fingerprint: ProcessorDefinition<typeof schema> = {
  schema,
  compile(o) {
    const fields = [...new Set(o.fields)].sort().map((name) => ({ name, path: fieldPath(name) }))
    const target = fieldPath(o.targetField)
    return (event) => {
      const hash = crypto().createHash(o.method)
      for (const { name, path } of fields) {
        const value = getField(event, path)
        if (value === undefined) {
          if (o.ignoreMissing) continue
          throw new ProcessorFailure(`field ${name} is missing (set ignoreMissing: true to allow it)`)
        }
        hash.update(`|${name}|${typeof value === 'string' ? value : JSON.stringify(value)}`)
      }
      hash.update('|')
      const digest = hash.digest()
      setField(event, target, o.encoding === 'base32' ? base32(digest) : digest.toString(o.encoding))
      return true
    }
  },
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** RFC 4648 base32, with padding (as Go's StdEncoding). */
function base32(bytes: Buffer): string {
  let out = ''
  let bits = 0
  let value = 0
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31]
  while (out.length % 8 !== 0) out += '='
  return out
}
