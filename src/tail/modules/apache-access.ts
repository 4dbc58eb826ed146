import type { Parser, ParserOptions } from './types.js'
import { createAccessParser } from './access-log.js'

/**
 * `apache.access`: `common`, `combined` and `vhost_combined` (Debian's
 * other_vhosts_access.log: `host:port` first). Anything apache appends after the user
 * agent (`%D`, `%T`, cookies) is left in `message`: its unit depends on the LogFormat.
 */
export function createApacheAccessParser(_options: ParserOptions = {}): Parser {
  return createAccessParser({ module: 'apache', dataset: 'apache.access', nginxTrailer: false })
}
