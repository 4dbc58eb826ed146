import { describe, it, expect } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, tempDir, writeConfig, readNdjson } from '../helpers/cli.js'

describe('logship run with processors', () => {
  it('applies the input chain then the global chain to each parsed document; drops, tags and ships as configured', async () => {
    const dir = tempDir('cli-processors')
    writeFileSync(
      join(dir, 'app.log'),
      [
        '2026-11-24 12:00:01 INFO  web GET /shop 200 {"user":"alice","cart":3}',
        '2026-11-24 12:00:02 DEBUG web GET /health 200 {}',
        '2026-11-24 12:00:03 ERROR db timeout after 5000ms',
        '',
      ].join('\n'),
    )
    const cfg = writeConfig(
      dir,
      `inputs:
  - type: file
    paths: ['${dir}/app.log']
    processors:
      - dissect:
          tokenizer: '%{ts} %{+ts} %{level->} %{component} %{method} %{path} %{status|integer} %{payload}'
          targetPrefix: app
      - drop_event:
          when: { equals: { app.level: DEBUG } }
processors:
  - decode_json_fields: { fields: [app.payload], target: app.data }
  - timestamp: { field: app.ts, layouts: ['2006-01-02 15:04:05'], timezone: '+02:00' }
  - rename: { fields: [{ from: app.component, to: service.name }] }
  - drop_fields: { fields: [app.ts, app.payload, agent, ecs], ignoreMissing: true }
  - add_fields: { target: '', fields: { env: test } }
output: { type: file, path: ${dir}/out.ndjson }
registry: { path: ${dir}/registry.json }
`,
    )
    const r = await runCli(['run', '--once', '-c', cfg])
    expect(r.code, r.stderr).toBe(0)
    const events = readNdjson<Record<string, any>>(join(dir, 'out.ndjson')).events
    expect(events).toHaveLength(2)
    const [shop, failed] = events
    expect(shop).toMatchObject({
      '@timestamp': '2026-11-24T10:00:01.000Z',
      app: { level: 'INFO', method: 'GET', path: '/shop', status: 200, data: { user: 'alice', cart: 3 } },
      service: { name: 'web' },
      env: 'test',
    })
    expect(shop).not.toHaveProperty('agent')
    expect(shop!.app).not.toHaveProperty('ts')
    // the dissect of the input chain failed (5000ms is no integer): tagged, shipped, and the global chain did not run
    expect(failed!.message).toBe('2026-11-24 12:00:03 ERROR db timeout after 5000ms')
    expect(failed!.tags).toEqual(['_logship_processor_failure'])
    expect(failed!.error.message).toMatch(/^inputs\[0\]\.processors\[0\] dissect: /)
    expect(failed).not.toHaveProperty('env')
  })

  it('a config problem in a processor names the input, the index, the processor and the key', async () => {
    const dir = tempDir('cli-processors-bad')
    const cfg = writeConfig(
      dir,
      `inputs:
  - type: stdin
    processors:
      - dissect: { tokenizer: '%{a} %{b}', target_prefix: x }
processors:
  - drop_feilds: { fields: [a] }
  - drop_event: { when: { regexp: { message: '(' } } }
output: { type: console }
`,
    )
    const r = await runCli(['test', 'config', '-c', cfg])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/inputs\[0\]\.processors\[0\]\.dissect\.target_prefix: .*did you mean "targetPrefix"\?/)
    expect(r.stderr).toMatch(/processors\[0\]\.drop_feilds: .*unknown processor; did you mean "drop_fields"\?/)
    expect(r.stderr).toMatch(/processors\[1\]\.drop_event\.when\.regexp\.message: .*expected a valid JavaScript regular expression/)
  })
})
