/** Distinct keys kept between records; past this the cache starts over (keys made of ids, say). */
const MAX_CACHED_KEYS = 20_000

/** What one flattened key holds in the record being scanned (shared by every spelling of the key). */
export class Field {
  seen = 0
  index = -1
}

/** A flattened key: a member name under its parent key, kept from record to record. */
export class PathKey {
  /** The next key with the same hash. */
  next: PathKey | undefined
  constructor(
    readonly parent: PathKey | undefined,
    readonly name: Buffer,
    readonly hash: number,
    readonly path: string,
    /** The path's UTF-8, written as the attribute's key. */
    readonly pathBytes: Buffer,
    /** Its top-level key is one of resourceKeys: a Resource attribute. */
    readonly resource: boolean,
    readonly field: Field,
  ) {}
}

/**
 * Flattened keys by the bytes of their names, so that the same key in record after record
 * costs a hash and a byte comparison, not a string and a Map entry. Keys spelled differently
 * that flatten to the same path (`a.b` and `{ a: { b } }`) share one Field, so a record with
 * both is seen to repeat it.
 */
export class KeyCache {
  readonly #byHash = new Map<number, PathKey>()
  readonly #fields = new Map<string, Field>()
  /** Fields handed out by `field()`: kept when the cache starts over. */
  readonly #pinned = new Map<string, Field>()
  #size = 0

  constructor(private readonly resourceKeys: ReadonlySet<string>) {}

  field(path: string): Field {
    let field = this.#pinned.get(path)
    if (!field) {
      field = this.#fields.get(path) ?? new Field()
      this.#pinned.set(path, field)
      this.#fields.set(path, field)
    }
    return field
  }

  /** Starts over when too many distinct keys were seen (between records only: a record's keys must stay put). */
  trim(): void {
    if (this.#size < MAX_CACHED_KEYS) return
    this.#byHash.clear()
    this.#fields.clear()
    for (const [path, field] of this.#pinned) this.#fields.set(path, field)
    this.#size = 0
  }

  key(parent: PathKey | undefined, buf: Buffer, start: number, end: number, hash: number): PathKey {
    const first = this.#byHash.get(hash)
    for (let key = first; key; key = key.next) if (key.parent === parent && sameBytes(key.name, buf, start, end)) return key
    const name = buf.toString('utf8', start, end)
    const path = parent ? `${parent.path}.${name}` : name
    const dot = name.indexOf('.')
    const resource = parent ? parent.resource : this.resourceKeys.has(dot < 0 ? name : name.slice(0, dot))
    let field = this.#fields.get(path)
    if (!field) this.#fields.set(path, (field = new Field()))
    const key = new PathKey(parent, Buffer.from(buf.subarray(start, end)), hash, path, Buffer.from(path), resource, field)
    key.next = first
    this.#byHash.set(hash, key)
    this.#size++
    return key
  }
}

function sameBytes(name: Buffer, buf: Buffer, start: number, end: number): boolean {
  if (name.length !== end - start) return false
  for (let i = 0; i < name.length; i++) if (name[i] !== buf[start + i]) return false
  return true
}
