/**
 * `ecs: true`: renames the fields pino and winston write to their Elastic Common Schema
 * names. A field is only moved when its ECS target is free: whatever the user set
 * themselves (`@timestamp`, `message`, `error`, `host.hostname`, ...) is never overwritten,
 * and the source field then stays where it was.
 */

/** The ECS version written to `ecs.version` (the one @elastic/ecs-helpers writes). */
export const ECS_VERSION = '8.10.0'

type Doc = Record<string, unknown>

/** pino's standard level numbers. */
const PINO_LABELS: Readonly<Record<string, string>> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' }

export interface PinoKeys {
  /** pino's `messageKey` (default `msg`). */
  readonly messageKey: string
  /** pino's `errorKey` (default `err`). */
  readonly errorKey: string
  /** Level number → name, including custom levels when pino told us about them. */
  readonly labels: Readonly<Record<string, string>>
}

export const DEFAULT_PINO_KEYS: PinoKeys = { messageKey: 'msg', errorKey: 'err', labels: PINO_LABELS }

/**
 * A pino log object (as parsed from its line) in ECS: `time` → `@timestamp`, `level` →
 * `log.level` (name), `msg` → `message`, `err` → `error.type/message/stack_trace`, `pid` →
 * `process.pid`, `hostname` → `host.hostname`, plus `ecs.version`. Other fields stay as they are.
 */
export function ecsFromPino(obj: Doc, keys: PinoKeys = DEFAULT_PINO_KEYS): Doc {
  const doc: Doc = { ...obj }
  const head: Doc = {}
  moveTime(doc, head, 'time')
  if (typeof doc.level === 'number' || typeof doc.level === 'string') {
    const name = typeof doc.level === 'number' ? (keys.labels[doc.level] ?? String(doc.level)) : doc.level
    if (setIfFree(doc, ['log', 'level'], name)) delete doc.level
  }
  moveField(doc, keys.messageKey, ['message'])
  moveError(doc, keys.errorKey)
  moveField(doc, 'pid', ['process', 'pid'])
  moveField(doc, 'hostname', ['host', 'hostname'])
  setIfFree(doc, ['ecs', 'version'], ECS_VERSION)
  return ordered(head, doc)
}

const LEVEL = Symbol.for('level')
const ANSI = /\u001b\[[0-9;]*m/g

/**
 * A winston `info` object in ECS: `level` → `log.level` (without colours), `timestamp` →
 * `@timestamp` (when it is a date), Errors in `err`/`error` or on `info` itself (its
 * `stack`) → `error.*`, plus `ecs.version`. `message` and metadata stay as they are.
 */
export function ecsFromWinston(info: Doc): Doc {
  // string keys only (winston's Symbol keys are its own bookkeeping); an Error's message
  // and stack are not enumerable, so they are copied by name
  const doc: Doc = Object.fromEntries(Object.keys(info).map((k) => [k, info[k]]))
  if (info instanceof Error) Object.assign(doc, { message: info.message, stack: info.stack })
  const head: Doc = {}
  moveTime(doc, head, 'timestamp')
  const level = (info as { [LEVEL]?: unknown })[LEVEL] ?? doc.level
  if (typeof level === 'string' && setIfFree(doc, ['log', 'level'], level.replace(ANSI, ''))) delete doc.level
  if (isErrorLike(doc.err)) moveError(doc, 'err')
  else if (doc.error instanceof Error) {
    const error = doc.error
    delete doc.error
    setIfFree(doc, ['error'], errorFields(error))
  }
  if (typeof doc.stack === 'string' && doc.error === undefined) {
    // format.errors() or logger.error(new Error(...)): the error's fields are on info itself
    const name = typeof doc.name === 'string' ? doc.name : info instanceof Error ? info.name : 'Error'
    setIfFree(doc, ['error'], { type: name, message: doc.message, stack_trace: doc.stack })
    delete doc.stack
    if (doc.name === name) delete doc.name
  }
  setIfFree(doc, ['ecs', 'version'], ECS_VERSION)
  return ordered(head, doc)
}

/** `@timestamp`, `log`, `message` first (as ECS loggers write them), then the rest as it came. */
function ordered(head: Doc, doc: Doc): Doc {
  const out: Doc = { ...head }
  for (const key of ['log', 'message']) if (doc[key] !== undefined) out[key] = doc[key]
  return Object.assign(out, doc)
}

function moveTime(doc: Doc, head: Doc, key: string): void {
  if (doc['@timestamp'] !== undefined || doc[key] === undefined) return
  const iso = toIso(doc[key])
  if (iso === undefined) return
  head['@timestamp'] = iso
  delete doc[key]
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/

/** Milliseconds a Date can hold either side of 1970 (ECMA-262 TimeClip): beyond, toISOString() throws RangeError. */
const MAX_DATE_MS = 8.64e15

function toIso(value: unknown): string | undefined {
  if (typeof value === 'number' && Math.abs(value) <= MAX_DATE_MS) return new Date(value).toISOString()
  if (value instanceof Date && Number.isFinite(value.getTime())) return value.toISOString()
  // only ISO 8601 strings: a local-time text such as '2025-01-01 10:00:00' is ambiguous
  if (typeof value === 'string' && ISO_DATE.test(value) && Number.isFinite(Date.parse(value))) return value
  return undefined
}

function moveField(doc: Doc, from: string, to: readonly string[]): void {
  if (doc[from] === undefined) return
  if (setIfFree(doc, to, doc[from])) delete doc[from]
}

function moveError(doc: Doc, key: string): void {
  const err = doc[key]
  if (!isErrorLike(err)) return
  if (setIfFree(doc, ['error'], errorFields(err))) delete doc[key]
}

function isErrorLike(value: unknown): value is Doc {
  return value instanceof Error || (typeof value === 'object' && value !== null && ('message' in value || 'stack' in value || 'type' in value))
}

/** pino's serialized `err` ({type, message, stack, ...}) or a live Error, as ECS `error`. */
function errorFields(err: Doc | Error, depth = 0): Doc {
  const e = err as Doc
  const out: Doc = {}
  const type = typeof e.type === 'string' ? e.type : err instanceof Error ? err.name : typeof e.name === 'string' ? e.name : undefined
  if (type !== undefined) out.type = type
  if (e.message !== undefined) out.message = e.message
  if (e.stack !== undefined) out.stack_trace = e.stack
  // keep what else the error carried (code, cause, custom fields): nothing is thrown away
  for (const k of Object.keys(e)) if (k !== 'type' && k !== 'message' && k !== 'stack' && k !== 'name') out[k] = e[k]
  if (err instanceof Error && err.cause !== undefined && out.cause === undefined) out.cause = err.cause
  // a live Error would serialize as {}: causes become plain fields too (a chain, not a loop)
  if (out.cause instanceof Error) out.cause = depth < 8 ? errorFields(out.cause, depth + 1) : String(out.cause)
  return out
}

function isPlainObject(v: unknown): v is Doc {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Error)
}

/**
 * Sets `doc.a.b.c = value` unless something is there already (also a dotted top-level key
 * `"a.b.c"`), or an object on the way is not a plain object. Objects on the way are copied,
 * not mutated: they may belong to the caller.
 */
function setIfFree(doc: Doc, path: readonly string[], value: unknown): boolean {
  if (doc[path.join('.')] !== undefined) return false
  const parents: Doc[] = [doc]
  let node = doc
  for (let i = 0; i < path.length - 1; i++) {
    const next = node[path[i]!]
    if (next === undefined) {
      node = {}
    } else if (isPlainObject(next)) {
      node = next
    } else {
      return false
    }
    parents.push(node)
  }
  const last = path[path.length - 1]!
  if (node[last] !== undefined) return false
  if (path.length === 1) {
    doc[last] = value
    return true
  }
  // copy the chain bottom-up so the caller's objects stay untouched
  let child: Doc = { ...node, [last]: value }
  for (let i = path.length - 2; i >= 1; i--) child = { ...parents[i]!, [path[i]!]: child }
  doc[path[0]!] = child
  return true
}
