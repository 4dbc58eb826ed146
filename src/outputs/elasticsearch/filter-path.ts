/**
 * What logship reads from a `_bulk` reply: `errors`, and each item's `status` (items are
 * objects keyed by their action). With a `filter_path` that leaves a status out, Elasticsearch
 * drops the items that succeeded from the array, so logship could not tell which events
 * failed: such a filter_path is refused up front.
 */
const NEEDED: readonly { readonly name: string; readonly paths: readonly (readonly string[])[] }[] = [
  { name: 'errors', paths: [['errors']] },
  {
    name: 'items.*.status',
    paths: [
      ['items', 'create', 'status'],
      ['items', 'index', 'status'],
    ],
  },
]

/** The parts of a bulk reply logship needs that `filterPath` leaves out (empty when none). */
export function filterPathGaps(filterPath: string): string[] {
  const patterns = filterPath
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
  const include = patterns.filter((p) => !p.startsWith('-')).map(segments)
  const exclude = patterns.filter((p) => p.startsWith('-')).map((p) => segments(p.slice(1)))
  return NEEDED.filter(({ paths }) => !paths.every((path) => kept(path, include, exclude))).map(({ name }) => name)
}

function segments(pattern: string): RegExp[] {
  return pattern.split('.').map((s) => (s === '**' ? /^\*\*$/ : new RegExp(`^${s.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`)))
}

const isDoubleStar = (s: RegExp): boolean => s.source === '^\\*\\*$'

/** True when `pattern` matches `path` or one of its ancestors (a kept object keeps all below it). */
function matchesPrefix(pattern: readonly RegExp[], path: readonly string[]): boolean {
  if (pattern.length === 0) return true
  const [head, ...rest] = pattern
  if (isDoubleStar(head!)) {
    // `**` stands for any number of levels, none included
    for (let skip = 0; skip <= path.length; skip++) if (matchesPrefix(rest, path.slice(skip))) return true
    return false
  }
  if (path.length === 0) return false
  return head!.test(path[0]!) && matchesPrefix(rest, path.slice(1))
}

function kept(path: readonly string[], include: readonly RegExp[][], exclude: readonly RegExp[][]): boolean {
  return include.some((p) => matchesPrefix(p, path)) && !exclude.some((p) => matchesPrefix(p, path))
}
