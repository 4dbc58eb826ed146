import { describe, it, expect } from 'vitest'
import { writeFileSync, chmodSync, readFileSync, chownSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, tempDir, writeConfig, readNdjson, type ShippedLine } from '../helpers/cli.js'
import { startSink } from '../helpers/sink.js'

const asRoot = process.getuid?.() === 0
/** Root reads files without permission: run logship as nobody to get a real EACCES. */
const unprivileged = asRoot ? { uid: 65534, gid: 65534 } : {}

describe('logship CLI', () => {
  it('has --help on every command', async () => {
    for (const args of [['--help'], ['run', '--help'], ['pipe', '--help'], ['test', '--help'], ['test', 'config', '--help']]) {
      const r = await runCli(args)
      expect(r.code, args.join(' ')).toBe(0)
      expect(r.stdout).toMatch(/^Usage: logship/)
    }
    const r = await runCli(['run'])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/required option '-c, --config <file>'/)
  })

  it('test config prints the effective config with secrets masked, or one line per problem with its line number', async () => {
    const dir = tempDir('cli-config')
    const good = writeConfig(
      dir,
      `inputs:\n  - type: file\n    paths: [/var/log/nginx/access.log]\noutput:\n  type: http\n  url: https://elastic:s3cret@127.0.0.1:9200/_bulk\n  headers: { authorization: "ApiKey \${API_KEY}" }\n`,
    )
    const ok = await runCli(['test', 'config', '-c', good], { env: { API_KEY: 'zzz-secret' } })
    expect(ok.code).toBe(0)
    expect(ok.stdout).toMatch(/config OK/)
    expect(ok.stdout).toMatch(/url: https:\/\/elastic:\*\*\*@127\.0\.0\.1:9200\/_bulk/)
    expect(ok.stdout).toMatch(/scanIntervalMs: 1000/)
    expect(ok.stdout).not.toMatch(/s3cret|zzz-secret/)

    const bad = writeConfig(dir, `inputs:\n  - type: file\n    paths: [/var/log/*.log]\n    start: middle\noutput:\n  type: http\n`, 'bad.yml')
    const r = await runCli(['test', 'config', '-c', bad])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/line 4: inputs\[0\]\.start: got "middle"; expected beginning \| end/)
    expect(r.stderr).toMatch(/line 6: output\.url: missing/)
    const missing = await runCli(['test', 'config', '-c', join(dir, 'nope.yml')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/nope\.yml: no such file; check the path/)
  })

  it('run --once works when node itself was started with V8 heap and stack flags (the shipping worker cannot take them)', async () => {
    const dir = tempDir('cli-v8-flags')
    writeFileSync(join(dir, 'a.log'), 'one\ntwo\n')
    const cfg = writeConfig(
      dir,
      `inputs:\n  - type: file\n    paths: ['${dir}/a.log']\noutput: { type: file, path: ${dir}/out.ndjson }\nregistry: { path: ${dir}/registry.json }\n`,
    )
    const r = await runCli(['run', '--once', '-c', cfg], { nodeArgs: ['--max-semi-space-size=2', '--max-old-space-size=256', '--stack-size=900'] })
    expect(r.code, r.stderr).toBe(0)
    expect(readNdjson<ShippedLine>(join(dir, 'out.ndjson')).events.map((e) => e.message)).toEqual(['one', 'two'])
  })

  it('run --once ships every file to its end; binary and unreadable files are skipped with a warning, long lines cut, bad UTF-8 replaced', async () => {
    const dir = tempDir('cli-once')
    chmodSync(dir, 0o777)
    const logs = join(dir, 'logs')
    const { mkdirSync } = await import('node:fs')
    mkdirSync(logs, { mode: 0o755 })
    chmodSync(logs, 0o755)
    writeFileSync(join(logs, 'a.log'), Array.from({ length: 300 }, (_, i) => `a id=${i}`).join('\n') + '\nno newline at the end')
    writeFileSync(
      join(logs, 'b.log'),
      Buffer.concat([Buffer.from('bad utf8: '), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('\n'), Buffer.from(`${'L'.repeat(5 * 1024 * 1024)}\nafter the long line\n`)]),
    )
    writeFileSync(join(logs, 'c.bin'), Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x41, 0x0a]))
    writeFileSync(join(logs, 'secret.log'), 'you cannot read me\n')
    chmodSync(join(logs, 'secret.log'), 0o000)
    const cfg = writeConfig(
      dir,
      `inputs:\n  - type: file\n    paths: ['${logs}/*']\noutput: { type: file, path: ${dir}/out.ndjson }\nregistry: { path: ${dir}/data/registry.json }\nfields: { env: test }\n`,
    )
    if (asRoot) chownSync(cfg, 65534, 65534)

    const r = await runCli(['run', '--once', '-c', cfg], { cwd: dir, ...unprivileged })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/warning: skipping .*c\.bin: it looks binary/)
    expect(r.stderr).toMatch(/warning: cannot read .*secret\.log: .*EACCES/)
    expect(r.stdout).toMatch(/shipped 304 events .* from 2 files\) to file output/)
    const { events } = readNdjson<ShippedLine>(join(dir, 'out.ndjson'))
    const a = events.filter((e) => e.log.file?.path.endsWith('a.log'))
    expect(a.map((e) => e.message)).toEqual([...Array.from({ length: 300 }, (_, i) => `a id=${i}`), 'no newline at the end'])
    expect(a[1]).toMatchObject({ log: { offset: 7 }, input: { type: 'file' }, env: 'test', ecs: { version: '8.11.0' }, agent: { type: 'logship' } })
    const b = events.filter((e) => e.log.file?.path.endsWith('b.log'))
    expect(b[0]!.message).toBe('bad utf8: \ufffd(\ufffd')
    expect(b[1]!.message).toBe('L'.repeat(1024 * 1024))
    expect(b[1]!.log.flags).toEqual(['truncated'])
    expect(b[2]).toMatchObject({ message: 'after the long line', log: { offset: 14 + 5 * 1024 * 1024 + 1 } })

    const again = await runCli(['run', '--once', '-c', cfg], { cwd: dir, ...unprivileged })
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toMatch(/nothing new to ship/)
    expect(readNdjson(join(dir, 'out.ndjson')).events).toHaveLength(304)
    const registry = JSON.parse(readFileSync(join(dir, 'data', 'registry.json'), 'utf8')) as { entries: unknown[][] }
    expect(registry.entries.map((e) => String(e[1]).split('/').pop()).sort()).toEqual(['a.log', 'b.log'])
  })

  it('joins multiline Java stack traces and MySQL slow-log entries', async () => {
    const dir = tempDir('cli-multiline')
    writeFileSync(
      join(dir, 'app.log'),
      [
        '2026-11-24 10:00:00 INFO started',
        '2026-11-24 10:00:01 ERROR request failed',
        'java.lang.IllegalStateException: no connection',
        '\tat com.example.Db.query(Db.java:42)',
        '\tat com.example.Api.handle(Api.java:7)',
        'Caused by: java.net.ConnectException: refused',
        '\t... 12 more',
        '2026-11-24 10:00:02 INFO recovered',
        '',
      ].join('\n'),
    )
    writeFileSync(
      join(dir, 'slow.log'),
      [
        '/usr/sbin/mysqld, Version: 8.0.35 (MySQL Community Server - GPL). started with:',
        '# Time: 2026-11-24T10:00:00.000000Z',
        '# User@Host: app[app] @ localhost []  Id:     8',
        '# Query_time: 2.000130  Lock_time: 0.000000 Rows_sent: 1  Rows_examined: 0',
        'SET timestamp=1764000000;',
        'SELECT SLEEP(2);',
        '# Time: 2026-11-24T10:00:05.000000Z',
        '# User@Host: app[app] @ localhost []  Id:     9',
        '# Query_time: 3.100000  Lock_time: 0.000000 Rows_sent: 10  Rows_examined: 100000',
        'SET timestamp=1764000005;',
        'SELECT * FROM orders WHERE note LIKE "%x%";',
        '',
      ].join('\n'),
    )
    const cfg = writeConfig(
      dir,
      `inputs:
  - type: file
    paths: [${dir}/app.log]
    multiline: { pattern: '^\\s+(at |\\.\\.\\. )|^Caused by:|^[a-z]+\\.[a-z.]+[A-Za-z]*(Exception|Error)', match: after }
  - type: file
    paths: [${dir}/slow.log]
    multiline: { pattern: '^# Time: ', negate: true, match: after }
    excludeLines: ['^/usr/sbin/mysqld, Version']
output: { type: file, path: ${dir}/out.ndjson }
registry: { path: ${dir}/registry.json }
`,
    )
    const r = await runCli(['run', '--once', '-c', cfg])
    expect(r.code, r.stderr).toBe(0)
    const { events } = readNdjson<ShippedLine>(join(dir, 'out.ndjson'))
    const app = events.filter((e) => e.log.file?.path.endsWith('app.log'))
    expect(app.map((e) => e.message.split('\n').length)).toEqual([1, 6, 1])
    expect(app[1]!.message).toMatch(/^2026-11-24 10:00:01 ERROR request failed\njava.lang.IllegalStateException[\s\S]*\t\.\.\. 12 more$/)
    expect(app[1]!.log.flags).toEqual(['multiline'])
    const slow = events.filter((e) => e.log.file?.path.endsWith('slow.log'))
    expect(slow.map((e) => e.message.split('\n')[0])).toEqual(['# Time: 2026-11-24T10:00:00.000000Z', '# Time: 2026-11-24T10:00:05.000000Z'])
    expect(slow[1]!.message.split('\n')).toHaveLength(5)
  })

  it('modules: an nginx access log becomes ECS fields, through the parser seam', async () => {
    const dir = tempDir('cli-modules')
    writeFileSync(join(dir, 'access.log'), '203.0.113.9 - alice [24/Nov/2026:12:00:00 +0000] "GET /shop?q=1 HTTP/1.1" 404 153 "-" "curl/8.4.0"\nnot an access log line\n')
    const cfg = writeConfig(
      dir,
      `modules:\n  - module: nginx\n    access: { paths: ['${dir}/access.log*'] }\n    error: { enabled: false }\noutput: { type: file, path: ${dir}/out.ndjson }\nregistry: { path: ${dir}/registry.json }\n`,
    )
    const r = await runCli(['run', '--once', '-c', cfg])
    expect(r.code, r.stderr).toBe(0)
    const [hit, miss] = readNdjson<Record<string, any>>(join(dir, 'out.ndjson')).events
    expect(hit).toMatchObject({
      '@timestamp': '2026-11-24T12:00:00.000Z',
      source: { address: '203.0.113.9' },
      http: { request: { method: 'GET' }, response: { status_code: 404 } },
      event: { dataset: 'nginx.access' },
      log: { file: { path: join(dir, 'access.log') } },
    })
    expect(miss!.message).toBe('not an access log line')
    expect(miss!.tags).toContain('_logship_parse_failure')
    const bad = writeConfig(dir, `modules:\n  - module: nginx\n    access: { input: { start: middle } }\noutput: { type: console }\n`, 'bad.yml')
    const refused = await runCli(['test', 'config', '-c', bad])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/line 2: modules\[0\]\(nginx.access\).start: got "middle"; expected beginning \| end/)
  })

  it('pipe ships stdin lines to an HTTP output and exits when stdin ends', async () => {
    const sink = await startSink()
    const lines = Array.from({ length: 5000 }, (_, i) => `{"level":"info","msg":"hello","id":${i}}`).join('\n') + '\nlast line without newline'
    const r = await runCli(['pipe', '--output-url', sink.url], { input: lines })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/shipped 5001 events/)
    const events = (await sink.events()) as unknown as ShippedLine[]
    expect(events).toHaveLength(5001)
    expect(events[42]).toMatchObject({ message: '{"level":"info","msg":"hello","id":42}', input: { type: 'stdin' } })
    expect(events[5000]!.message).toBe('last line without newline')

    const usage = await runCli(['pipe'])
    expect(usage.code).toBe(2)
    expect(usage.stderr).toMatch(/no output; give --output-url URL, --output-file PATH or -c FILE/)
  })

  it('pipe -c uses the config output and its stdin settings; a refused batch gives exit 1', async () => {
    const dir = tempDir('cli-pipe')
    const sink = await startSink()
    await sink.setMode({ failStatus: 400, failNext: -1 })
    const cfg = writeConfig(dir, `inputs: [{ type: stdin, includeLines: ['ERROR'] }]\noutput: { type: file, path: ${dir}/out.ndjson }\n`)
    const r = await runCli(['pipe', '-c', cfg], { input: 'INFO a\nERROR b\nINFO c\nERROR d\n' })
    expect(r.code, r.stderr).toBe(0)
    expect(readNdjson<ShippedLine>(join(dir, 'out.ndjson')).events.map((e) => e.message)).toEqual(['ERROR b', 'ERROR d'])
    const refused = await runCli(['pipe', '--output-url', sink.url], { input: 'x\n' })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/refused by the output \(dead-lettered\): 1/)
  })
})
