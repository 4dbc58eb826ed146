/**
 * Names a Filebeat user writes, and near misses, mapped to logship's keys: an unknown key in
 * the config gets "did you mean ..." instead of only "check the spelling".
 */
const FILEBEAT_NAMES: Record<string, string> = {
  exclude_files: 'excludeFiles',
  include_lines: 'includeLines',
  exclude_lines: 'excludeLines',
  close_inactive: 'closeInactiveMs (a duration such as 5m)',
  'close.on_state_change.inactive': 'closeInactiveMs (a duration such as 5m)',
  ignore_older: 'ignoreOlderMs (a duration such as 24h)',
  scan_frequency: 'scanIntervalMs (a duration such as 10s)',
  'prospector.scanner.check_interval': 'scanIntervalMs (a duration such as 10s)',
  harvester_limit: 'harvesterLimit',
  clean_removed: 'cleanRemoved',
  tail_files: 'start: end',
  max_bytes: 'maxLineBytes',
  message_max_bytes: 'maxLineBytes',
  'multiline.pattern': 'multiline: { pattern }',
  'multiline.type': 'multiline: { pattern, negate, match }',
  'registry.file': 'registry: { path }',
  'registry.path': 'registry: { path }',
  'filebeat.inputs': 'inputs',
  'output.elasticsearch': 'output: { type: elasticsearch, hosts: [...] }',
  'output.logstash': 'output: { type: logstash, hosts: [...] }',
  'output.redis': 'output: { type: redis, url, key }',
  id: '(nothing: logship inputs have no id)',
  enabled: '(nothing: leave the input out to disable it)',
  close_timeout: 'closeInactiveMs',
  shutdown_timeout: 'shutdownTimeoutMs (top level)',
  close_removed: '(nothing: a deleted file is read to its end and closed)',
  close_renamed: '(nothing: a renamed file is read to its end)',
}

/** Levenshtein distance, small strings only. */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let last = prev[0]!
    prev[0] = i
    for (let j = 1; j <= b.length; j++) {
      const keep = prev[j]!
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, last + (a[i - 1] === b[j - 1] ? 0 : 1))
      last = keep
    }
  }
  return prev[b.length]!
}

/** `snake_case` and `kebab-case` to camelCase, lower-cased for comparing. */
function normal(key: string): string {
  return key.replace(/[_-]([a-z])/g, (_, c: string) => c.toUpperCase()).toLowerCase()
}

/** What to write instead of the unknown `key`, given the keys allowed where it stands; undefined when nothing is close. */
export function suggestKey(key: string, allowed: readonly string[]): string | undefined {
  const filebeat = FILEBEAT_NAMES[key]
  if (filebeat !== undefined) return filebeat
  const n = normal(key)
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of allowed) {
    const c = candidate.toLowerCase()
    // `closeInactive` for `closeInactiveMs`: the unit suffix forgotten
    const d = c === `${n}ms` ? 0 : distance(n, c)
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(n.length / 4)) ? best : undefined
}
