import { describe, it, expect } from 'vitest'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, tempDir } from '../helpers/cli.js'

describe('logship modules list', () => {
  it('lists every fileset with its parser and default paths, and which files exist (under --root)', async () => {
    const root = tempDir('modules-root')
    mkdirSync(join(root, 'var/log/mysql'), { recursive: true })
    writeFileSync(join(root, 'var/log/mysql/mysql-slow.log'), '')
    writeFileSync(join(root, 'var/log/mysql/error.log.1.gz'), '') // compressed rotations are left out
    const r = await runCli(['modules', 'list', '--root', root])
    expect(r.code, r.stderr).toBe(0)
    for (const parser of ['nginx.access', 'nginx.error', 'apache.access', 'apache.error', 'mysql.error', 'mysql.slowlog']) expect(r.stdout).toContain(`(parser ${parser}:`)
    expect(r.stdout).toContain(`found here:     ${join(root, 'var/log/mysql/mysql-slow.log')}`)
    expect(r.stdout).not.toContain('error.log.1.gz')

    const json = await runCli(['modules', 'list', '--root', root, '--json'])
    const rows = JSON.parse(json.stdout) as { parser: string; existing: string[] }[]
    expect(rows.find((row) => row.parser === 'mysql.slowlog')!.existing).toEqual([join(root, 'var/log/mysql/mysql-slow.log')])
    expect(rows.find((row) => row.parser === 'nginx.access')!.existing).toEqual([])
  })

  it('has --help', async () => {
    const r = await runCli(['modules', 'list', '--help'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Usage: logship modules list \[options\]/)
  })
})

describe('logship modules fields', () => {
  it("prints each parser's fields with their ECS type and source", async () => {
    const r = await runCli(['modules', 'fields'])
    expect(r.code, r.stderr).toBe(0)
    for (const parser of ['nginx.access', 'nginx.error', 'apache.access', 'apache.error', 'mysql.error', 'mysql.slowlog']) expect(r.stdout.split('\n')).toContain(parser)
    expect(r.stdout).toMatch(/^ {2}http\.response\.status_code +long +\$status$/m)
    const one = await runCli(['modules', 'fields', 'mysql.slowlog', '--json'])
    const lists = JSON.parse(one.stdout) as { parser: string; fields: { field: string; type: string; from: string }[] }[]
    expect(lists.map((l) => l.parser)).toEqual(['mysql.slowlog'])
    expect(lists[0]!.fields).toContainEqual({ field: 'event.duration', type: 'long', from: 'Query_time in nanoseconds (exact: 0.000123 is 123000)' })
  })

  it('prints the fields of a custom nginx log_format or apache LogFormat, and names an unknown variable', async () => {
    const nginx = await runCli([
      'modules',
      'fields',
      '--nginx-format',
      '$remote_addr [$time_local] "$request" $status rt=$request_time tier=$tier',
      '--variables',
      'tier',
      '--json',
    ])
    expect(nginx.code, nginx.stderr).toBe(0)
    const [list] = JSON.parse(nginx.stdout) as { parser: string; fields: { field: string; type: string; from: string }[] }[]
    expect(list!.parser).toBe('nginx logFormat')
    expect(list!.fields).toEqual(
      expect.arrayContaining([
        { field: 'source.ip', type: 'keyword', from: '$remote_addr' },
        { field: '@timestamp', type: 'date', from: '$time_local' },
        { field: 'http.response.status_code', type: 'long', from: '$status' },
        { field: 'event.outcome', type: 'keyword', from: '$status' },
        { field: 'event.duration', type: 'long', from: '$request_time' },
        { field: 'nginx.access.tier', type: 'keyword', from: '$tier' },
      ]),
    )
    const apache = await runCli(['modules', 'fields', '--apache-format', '%h %t "%r" %>s %D %{X-Tenant}i'])
    expect(apache.code, apache.stderr).toBe(0)
    expect(apache.stdout).toMatch(/^ {2}apache\.access\.http_x_tenant +keyword +%\{X-Tenant\}i$/m)
    const bad = await runCli(['modules', 'fields', '--nginx-format', '$remote_addr $reqest_time'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toBe(
      'logship modules fields: --nginx-format: unknown variable $reqest_time (did you mean $request_time?): nginx has no such variable and refuses a log_format that uses it. If nginx.conf makes it with map or set, list it under variables: [reqest_time]\n',
    )
  })
})
