import { join } from 'node:path'
import { glob } from 'tinyglobby'
import { DISTRIBUTION_NAMES, MODULES, distributionsFor, type Distribution, type FilesetDefinition } from './catalogue.js'

/** One row of `logship modules list`. */
export interface FilesetListing {
  module: string
  fileset: string
  parser: string
  description: string
  /** Default globs per distribution that applies on this platform. */
  defaults: { distribution: Distribution; label: string; paths: readonly string[] }[]
  /** Files on this machine matched by those globs (compressed rotations excluded). */
  existing: string[]
}

export interface ListOptions {
  /** Whose default paths to show (linux: Debian + RHEL, darwin: Homebrew). @default process.platform */
  platform?: NodeJS.Platform
  /** Look for the files under this directory instead of `/` (a container's view of the host). */
  root?: string
}

const COMPRESSED = /\.(gz|bz2|xz|zst)$/

/** Every module fileset with its default paths and the files they match here. */
export async function listModules(options: ListOptions = {}): Promise<FilesetListing[]> {
  const distributions = distributionsFor(options.platform ?? process.platform)
  const rows: FilesetListing[] = []
  for (const [module, definition] of Object.entries(MODULES)) {
    for (const [fileset, def] of Object.entries(definition.filesets as Readonly<Record<string, FilesetDefinition>>)) {
      const defaults = distributions.map((distribution) => ({ distribution, label: DISTRIBUTION_NAMES[distribution], paths: def.paths[distribution] }))
      const patterns = [...new Set(defaults.flatMap((d) => d.paths))].map((p) => (options.root ? join(options.root, p) : p))
      const found = await glob(patterns, { absolute: true, onlyFiles: true, dot: true, expandDirectories: false }).catch(() => [])
      const existing = found.filter((path) => !COMPRESSED.test(path)).sort()
      rows.push({ module, fileset, parser: def.parser, description: def.description, defaults, existing })
    }
  }
  return rows
}

/** The text `logship modules list` prints. */
export function formatModuleList(rows: readonly FilesetListing[]): string {
  const out: string[] = []
  let module = ''
  for (const row of rows) {
    if (row.module !== module) {
      module = row.module
      out.push(`${out.length > 0 ? '\n' : ''}${module}`)
    }
    out.push(`  ${row.fileset}  (parser ${row.parser}: ${row.description})`)
    for (const d of row.defaults) out.push(`    ${d.label.padEnd(15)} ${d.paths.join(', ')}`)
    out.push(row.existing.length > 0 ? `    found here:     ${row.existing.join(', ')}` : '    found here:     none')
  }
  return `${out.join('\n')}\n`
}
