import { describe, expect, it, afterAll } from 'vitest'
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { MODULES, createParser, expandModules, formatModuleList, listModules, modulesSchema, type FilesetDefinition } from '../../src/tail/modules/index.js'
import { formatIssues } from '../../src/options/format-issues.js'
import { splitEntries } from '../helpers/entries.js'

function problems(input: unknown): string[] {
  const parsed = modulesSchema.safeParse(input, { reportInput: true })
  if (parsed.success) return []
  return formatIssues(parsed.error.issues, { base: 'modules' })
}

describe('modules: config', () => {
  it('expands the issue example into six file inputs with their parsers', () => {
    const config = parseYaml(`
modules:
  - module: nginx
    access: { enabled: true, paths: ['/var/log/nginx/access.log*'] }
    error:  { enabled: true, paths: ['/var/log/nginx/error.log*'] }
  - module: apache
    access: { paths: ['/srv/apache/access.log'] }
    error:  { paths: ['/srv/apache/error.log'] }
  - module: mysql
    error:   { paths: ['/srv/mysql/error.log'], timezone: Europe/Berlin }
    slowlog: { paths: ['/srv/mysql/slow.log'] }
`) as { modules: unknown }
    const modules = modulesSchema.parse(config.modules)
    const inputs = expandModules(modules, { platform: 'linux' })
    expect(inputs.map((i) => [i.parser, i.paths])).toEqual([
      ['nginx.access', ['/var/log/nginx/access.log*']],
      ['nginx.error', ['/var/log/nginx/error.log*']],
      ['apache.access', ['/srv/apache/access.log']],
      ['apache.error', ['/srv/apache/error.log']],
      ['mysql.error', ['/srv/mysql/error.log']],
      ['mysql.slowlog', ['/srv/mysql/slow.log']],
    ])
    for (const input of inputs) {
      expect(input.type).toBe('file')
      expect(input.excludeFiles).toContain('\\.gz$')
    }
    const [, , , , mysqlError, slowlog] = inputs
    expect(mysqlError!.timezone).toBe('Europe/Berlin')
    expect(mysqlError!.multiline).toEqual(MODULES.mysql.filesets.error.multiline)
    expect(slowlog!.multiline).toEqual({ pattern: '^# User@Host: ', negate: true, match: 'after' })
    expect(slowlog!.excludeLines).toEqual(MODULES.mysql.filesets.slowlog.excludeLines)
    expect(inputs[0]!.multiline).toBeUndefined()
    // Plain data: survives a structured clone (to a worker) and JSON unchanged.
    expect(JSON.parse(JSON.stringify(inputs))).toEqual(structuredClone(inputs))
  })

  it('uses the default paths of the platform when paths are left out, and enables omitted filesets', () => {
    const linux = expandModules(modulesSchema.parse([{ module: 'apache' }]), { platform: 'linux' })
    expect(linux.map((i) => i.paths)).toEqual([
      ['/var/log/apache2/access.log*', '/var/log/apache2/other_vhosts_access.log*', '/var/log/httpd/access_log*'],
      ['/var/log/apache2/error.log*', '/var/log/httpd/error_log*'],
    ])
    const mac = expandModules(modulesSchema.parse([{ module: 'nginx', error: { enabled: false } }]), { platform: 'darwin' })
    expect(mac).toHaveLength(1)
    expect(mac[0]!.paths).toEqual(['/opt/homebrew/var/log/nginx/access.log*', '/usr/local/var/log/nginx/access.log*'])
    // nginx paths are the same on Debian and RHEL: listed once.
    const nginxLinux = expandModules(modulesSchema.parse([{ module: 'nginx' }]), { platform: 'linux' })
    expect(nginxLinux[0]!.paths).toEqual(['/var/log/nginx/access.log*'])
  })

  it("passes a fileset's input settings through, after the module's own", () => {
    const [input] = expandModules(
      modulesSchema.parse([{ module: 'nginx', error: { enabled: false }, access: { input: { start: 'end', excludeFiles: ['\\.1$'], fields: { env: 'prod' } } } }]),
      { platform: 'linux' },
    )
    expect(input).toMatchObject({ parser: 'nginx.access', start: 'end', excludeFiles: ['\\.1$'], fields: { env: 'prod' } })
  })

  it('names the key, the bad value and what is allowed', () => {
    expect(problems([{ module: 'postgres' }])).toEqual([expect.stringMatching(/^modules\[0\]\.module: got "postgres"; expected one of "nginx" \| "apache" \| "mysql"/)])
    expect(problems([{ module: 'nginx', acess: {} }])).toEqual(['modules[0]: unknown key "acess"; check the spelling (keys are camelCase)'])
    expect(problems([{ module: 'mysql', slowlog: { paths: [] } }])).toEqual([expect.stringContaining('modules[0].slowlog.paths: got []; expected at least one glob')])
    expect(problems([{ module: 'mysql', error: { paths: '/var/log/mysql/error.log' } }])).toEqual([
      expect.stringContaining('modules[0].error.paths: got "/var/log/mysql/error.log"; expected a list of globs'),
    ])
    expect(problems([{ module: 'apache', error: { timezone: 'Mars/Olympus' } }])).toEqual([
      expect.stringContaining('modules[0].error.timezone: got "Mars/Olympus"; expected local, UTC, an offset such as +02:00'),
    ])
    expect(problems([{ module: 'nginx', access: { enabled: 'yes' } }])).toEqual([expect.stringContaining('modules[0].access.enabled: got "yes"')])
    expect(problems({ module: 'nginx' })).toEqual([expect.stringContaining('expected a list of modules')])
    expect(
      problems([
        { module: 'nginx', access: { timezone: '+05:30' } },
        { module: 'mysql', error: { timezone: 'local' } },
      ]),
    ).toEqual([])
  })
})

describe('module catalogue', () => {
  const filesets = Object.entries(MODULES).flatMap(([m, d]) =>
    Object.entries(d.filesets as Readonly<Record<string, FilesetDefinition>>).map(([f, def]) => ({ name: `${m}.${f}`, def })),
  )

  it.each(filesets)('$name names its own parser and has paths for every distribution', ({ name, def }) => {
    expect(def.parser).toBe(name)
    for (const distribution of ['debian', 'rhel', 'homebrew'] as const) {
      expect(def.paths[distribution].length).toBeGreaterThan(0)
      for (const path of def.paths[distribution]) expect(path.startsWith('/')).toBe(true)
    }
  })

  it('mysql error entries start at every time format and only there', () => {
    const start = new RegExp(MODULES.mysql.filesets.error.multiline.pattern)
    for (const line of [
      '2024-06-01T12:34:56.123456Z 0 [System]',
      '2024-06-01T14:34:58.000000+02:00 8 [Note]',
      '2024-06-01 12:35:00 0 [Note]',
      '160101 12:00:00 [ERROR]',
      '150916  4:08:04 [Note]',
    ]) {
      expect(start.test(line), line).toBe(true)
    }
    for (const line of ["Version: '5.7.44'  socket: ''", 'InnoDB: We intentionally generate a memory trap.', '  at frame 3', '']) {
      expect(start.test(line), line).toBe(false)
    }
  })

  it('slow-log settings give the same entries whether banners are dropped per line or per entry', () => {
    const { multiline, excludeLines } = MODULES.mysql.filesets.slowlog
    const text = readFileSync(join(import.meta.dirname, '../fixtures/modules/mysql-slowlog.log'), 'utf8')
    const perEntry = splitEntries(text, multiline, excludeLines)
    const excludes = excludeLines.map((e) => new RegExp(e))
    const kept = text
      .split('\n')
      .filter((line) => !excludes.some((e) => e.test(line)))
      .join('\n')
    const perLine = splitEntries(kept, multiline)
    const parse = createParser('mysql.slowlog', { timezone: 'UTC' })
    expect(perLine.map((e) => parse(e))).toEqual(perEntry.map((e) => parse(e)))
  })

  it('refuses unknown parsers and zones when built directly', () => {
    expect(() => createParser('nginx.acces' as 'nginx.access')).toThrow(/unknown parser "nginx.acces"; expected one of nginx.access/)
    expect(() => createParser('nginx.error', { timezone: 'Nowhere/Special' })).toThrow(/unknown time zone "Nowhere\/Special"/)
  })
})

describe('modules list', () => {
  const root = mkdtempSync(join(tmpdir(), 'logship-modules-'))
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('shows each fileset with its default paths and the files found', async () => {
    mkdirSync(join(root, 'var/log/nginx'), { recursive: true })
    mkdirSync(join(root, 'var/lib/mysql'), { recursive: true })
    for (const f of ['var/log/nginx/access.log', 'var/log/nginx/access.log.1', 'var/log/nginx/access.log.2.gz', 'var/lib/mysql/db1-slow.log']) writeFileSync(join(root, f), 'x\n')
    const rows = await listModules({ platform: 'linux', root })
    expect(rows.map((r) => `${r.module}.${r.fileset}`)).toEqual(['nginx.access', 'nginx.error', 'apache.access', 'apache.error', 'mysql.error', 'mysql.slowlog'])
    const byName = Object.fromEntries(rows.map((r) => [`${r.module}.${r.fileset}`, r]))
    expect(byName['nginx.access']!.existing).toEqual([join(root, 'var/log/nginx/access.log'), join(root, 'var/log/nginx/access.log.1')])
    expect(byName['mysql.slowlog']!.existing).toEqual([join(root, 'var/lib/mysql/db1-slow.log')])
    expect(byName['apache.error']!.existing).toEqual([])
    expect(byName['apache.access']!.defaults.map((d) => d.label)).toEqual(['Debian/Ubuntu', 'RHEL/CentOS'])
    const text = formatModuleList(rows)
    expect(text).toContain('nginx\n  access  (parser nginx.access')
    expect(text).toContain(`found here:     ${join(root, 'var/log/nginx/access.log')}, ${join(root, 'var/log/nginx/access.log.1')}`)
    expect(text).toContain('RHEL/CentOS     /var/log/httpd/error_log*')
    expect(text).toMatch(/error {2}\(parser apache\.error[^\n]*\n(?:.*\n){2} {4}found here: {5}none/)
  })
})
