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
