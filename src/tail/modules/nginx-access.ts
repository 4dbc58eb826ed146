import type { Parser, ParserOptions } from './types.js'
import { createAccessParser } from './access-log.js'

/**
 * `nginx.access`: nginx's `combined` format (the default), `common`, the RHEL/nginx.org
 * `main` format (combined + `"$http_x_forwarded_for"`), and combined with `$request_time`
 * appended (bare seconds, `rt=` or `request_time=`). Times carry their own offset.
 */
export function createNginxAccessParser(_options: ParserOptions = {}): Parser {
  return createAccessParser({ module: 'nginx', dataset: 'nginx.access', nginxTrailer: true })
}
