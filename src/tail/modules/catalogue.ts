import type { ParserName } from './parsers.js'

/**
 * Multiline settings in tail mode's `inputs[].multiline` shape: with `negate: true,
 * match: 'after'`, a line that does NOT match `pattern` is appended to the entry above it,
 * so `pattern` is what starts an entry.
 */
export interface MultilineSettings {
  readonly pattern: string
  readonly negate: boolean
  readonly match: 'after' | 'before'
}

/** Where each distribution's packages write the log by default. */
export interface DistributionPaths {
  /** Debian and Ubuntu packages. */
  readonly debian: readonly string[]
  /** RHEL, CentOS, Rocky, Alma and Fedora packages. */
  readonly rhel: readonly string[]
  /** macOS Homebrew, Apple silicon (`/opt/homebrew`) and Intel (`/usr/local`) prefixes. */
  readonly homebrew: readonly string[]
}

export type Distribution = keyof DistributionPaths

export const DISTRIBUTION_NAMES: Readonly<Record<Distribution, string>> = {
  debian: 'Debian/Ubuntu',
  rhel: 'RHEL/CentOS',
  homebrew: 'macOS Homebrew',
}

export interface FilesetDefinition {
  readonly parser: ParserName
  readonly description: string
  readonly paths: DistributionPaths
  /** For logs whose entries span lines; the input must join lines before parsing. */
  readonly multiline?: MultilineSettings
  /**
   * Entries to leave out (regexes; each also works when applied to single lines before
   * joining): server start-up banners that are not log entries.
   */
  readonly excludeLines?: readonly string[]
}

export interface ModuleDefinition {
  readonly description: string
  readonly filesets: Readonly<Record<string, FilesetDefinition>>
}

/** Rotated copies are matched by `*`; compressed ones are skipped. */
export const MODULE_EXCLUDE_FILES: readonly string[] = ['\\.gz$', '\\.bz2$', '\\.xz$', '\\.zst$']

const brew = (path: string): string[] => [`/opt/homebrew/${path}`, `/usr/local/${path}`]

export const MODULES = {
  nginx: {
    description: 'nginx web server',
    filesets: {
      access: {
        parser: 'nginx.access',
        description: 'access log: combined, common, main (with X-Forwarded-For) and $request_time',
        paths: { debian: ['/var/log/nginx/access.log*'], rhel: ['/var/log/nginx/access.log*'], homebrew: brew('var/log/nginx/access.log*') },
      },
      error: {
        parser: 'nginx.error',
        description: 'error log',
        paths: { debian: ['/var/log/nginx/error.log*'], rhel: ['/var/log/nginx/error.log*'], homebrew: brew('var/log/nginx/error.log*') },
      },
    },
  },
  apache: {
    description: 'Apache HTTP Server (httpd, apache2)',
    filesets: {
      access: {
        parser: 'apache.access',
        description: 'access log: common, combined and vhost_combined',
        paths: {
          debian: ['/var/log/apache2/access.log*', '/var/log/apache2/other_vhosts_access.log*'],
          rhel: ['/var/log/httpd/access_log*'],
          homebrew: brew('var/log/httpd/access_log*'),
        },
      },
      error: {
        parser: 'apache.error',
        description: 'error log, 2.2 and 2.4 formats',
        paths: { debian: ['/var/log/apache2/error.log*'], rhel: ['/var/log/httpd/error_log*'], homebrew: brew('var/log/httpd/error_log*') },
      },
    },
  },
  mysql: {
    description: 'MySQL and MariaDB',
    filesets: {
      error: {
        parser: 'mysql.error',
        description: 'error log, MySQL 5.5 to 8.x and MariaDB formats',
        paths: {
          debian: ['/var/log/mysql/error.log*'],
          rhel: ['/var/log/mysqld.log*', '/var/log/mariadb/mariadb.log*'],
          homebrew: brew('var/mysql/*.err'),
        },
        // Continuation lines (5.7's "Version: ..." line, InnoDB dumps, stack traces) have no time.
        multiline: { pattern: '^(\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}|\\d{6} +\\d{1,2}:\\d{2}:\\d{2})', negate: true, match: 'after' },
      },
      slowlog: {
        parser: 'mysql.slowlog',
        description: 'slow query log (multi-line entries)',
        paths: {
          debian: ['/var/log/mysql/mysql-slow.log*', '/var/log/mysql/mariadb-slow.log*'],
          rhel: ['/var/lib/mysql/*-slow.log*'],
          homebrew: brew('var/mysql/*-slow.log*'),
        },
        // An entry starts at "# User@Host:"; the parser ignores the next entry's "# Time:" line
        // that this leaves at the end of an entry, and takes the time from "SET timestamp=".
        multiline: { pattern: '^# User@Host: ', negate: true, match: 'after' },
        excludeLines: [
          // The banner the server writes when it (re)opens the file; each line matches alone.
          '^[/\\w.-]+, Version: .* started with:',
          '^Tcp port: \\d+ ',
          '^Time\\s+Id\\s+Command\\s+Argument',
          // A "# Time:" line on its own (the first one in a file, or one cut off by a timeout).
          '^# Time: [^\\n]*$',
        ],
      },
    },
  },
} as const satisfies Readonly<Record<string, ModuleDefinition>>

export type ModuleName = keyof typeof MODULES

/** Which distributions' default paths apply on a platform (all of them on other platforms). */
export function distributionsFor(platform: NodeJS.Platform): readonly Distribution[] {
  if (platform === 'linux') return ['debian', 'rhel']
  if (platform === 'darwin') return ['homebrew']
  return ['debian', 'rhel', 'homebrew']
}

/** Default paths of a fileset on a platform, without duplicates, in catalogue order. */
export function defaultPaths(fileset: FilesetDefinition, platform: NodeJS.Platform): string[] {
  const paths = distributionsFor(platform).flatMap((d) => fileset.paths[d])
  return [...new Set(paths)]
}
