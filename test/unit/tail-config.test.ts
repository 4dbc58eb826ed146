import { describe, it, expect } from 'vitest'
import { mkdtempSync, writeFileSync, readFileSync, statSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfigText, ConfigError, maskSecrets } from '../../src/config/index.js'
import { Registry, parseRegistry } from '../../src/tail/registry.js'
import { FileState } from '../../src/tail/file-state.js'
import { AckQueue, Feeder } from '../../src/tail/feeder.js'
import { defaultStateDir } from '../../src/config/state-dir.js'

const MIN = `inputs: [{ type: file, paths: ['/var/log/*.log'] }]\noutput: { type: console }\n`

function problems(yaml: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfigText(yaml, 'logship.yml', { env })
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return [...(err as ConfigError).problems]
  }
  throw new Error('expected the config to be refused')
}

describe('config', () => {
  it('fills defaults and keeps the library schema (camelCase, sizes)', () => {
    const c = parseConfigText(`${MIN}queue: { maxBytes: 64mb }\nbatch: { maxEvents: 500 }\n`, 'x.yml')
    expect(c.queue).toMatchObject({ maxBytes: 64 * 1024 * 1024, whenFull: 'block' })
    expect(c.batch.maxEvents).toBe(500)
    expect(parseConfigText(MIN, 'x.yml').queue.maxBytes).toBe(8 * 1024 * 1024) // tail mode's own default
    expect(c.inputs[0]).toMatchObject({ start: 'beginning', encoding: 'utf8', maxLineBytes: 1024 * 1024, closeInactiveMs: 300_000, harvesterLimit: 0 })
    expect(c.registry).toEqual({ path: join(defaultStateDir(), 'registry.json'), flushMs: 1000 })
  })

  it('engine.thread: worker by default, main on request, anything else refused with what is allowed', () => {
    expect(parseConfigText(MIN, 'x.yml').engine.thread).toBe('worker')
    expect(parseConfigText(`${MIN}engine: { thread: main }\n`, 'x.yml').engine.thread).toBe('main')
    expect(problems(`${MIN}engine: { thread: app }\n`).join('\n')).toMatch(/engine\.thread.*expected worker \| main/)
  })

  it('names the key path, the value, what is allowed and the line for each problem', () => {
    const yaml = [
      'inputs:',
      '  - type: file',
      "    paths: ['/var/log/*.log']",
      '    encoding: utf-8',
      "    multiline: { pattern: '^[', negat: true }",
      'output: { type: http, url: ftp://x }',
      'queue: { maxBytes: lots }',
      'colour: blue',
    ].join('\n')
    const p = problems(yaml)
    expect(p).toContain('line 4: inputs[0].encoding: got "utf-8"; expected utf8 | latin1 | utf16le')
    expect(p).toContain('line 5: inputs[0].multiline.pattern: got "^["; expected a valid JavaScript regular expression')
    expect(p).toContain('line 5: inputs[0].multiline: unknown key "negat"; did you mean "negate"?')
    expect(p.find((x) => x.startsWith('line 6: output.url:'))).toMatch(/got "ftp:\/\/x"; expected an http/)
    expect(p.find((x) => x.startsWith('line 7: queue.maxBytes:'))).toMatch(/"lots".*byte size/)
    expect(p).toContain('line 8: (top level): unknown key "colour"; check the spelling (keys are camelCase)')
  })

  it('reports YAML syntax errors and missing variables with their line', () => {
    expect(problems('inputs:\n  - type: file\n   paths: [a\n')[0]).toMatch(/^line \d: this is not valid YAML/)
    expect(problems(`${MIN}fields: { env: "\${ENVIRONMENT}" }\n`)).toEqual([
      'line 3: ${ENVIRONMENT} is not set; set the environment variable or give a default: ${ENVIRONMENT:-value}',
    ])
  })

  it('expands ${VAR} and ${VAR:-default}; a whole unquoted reference takes the type of its value', () => {
    const yaml = `inputs:\n  - type: file\n    paths: ['\${LOGS:-/var/log}/*.log']\n    scanIntervalMs: \${SCAN_MS}\noutput:\n  type: http\n  url: http://127.0.0.1:\${PORT:-9200}/x\nfields:\n  text: "\${SCAN_MS}"\n  literal: $\${NOT_EXPANDED}\n`
    const c = parseConfigText(yaml, 'x.yml', { env: { SCAN_MS: '250' } })
    const input = c.inputs[0] as { paths: string[]; scanIntervalMs: number }
    expect(input.paths).toEqual(['/var/log/*.log'])
    expect(input.scanIntervalMs).toBe(250)
    expect(c.output).toMatchObject({ url: 'http://127.0.0.1:9200/x' })
    expect(c.fields).toEqual({ text: '250', literal: '${NOT_EXPANDED}' })
  })

  it('refuses whenFull other than block, and lines that could not fit in the queue', () => {
    expect(problems(`${MIN}queue: { whenFull: drop-newest }\n`)[0]).toMatch(/^line 3: queue.whenFull: got "drop-newest"; tail mode always blocks/)
    expect(problems(`inputs: [{ type: stdin, maxLineBytes: 20mb }]\noutput: { type: console }\n`)[0]).toMatch(
      /^line 1: inputs\[0\].maxLineBytes: got 20971520; expected at most \d+ bytes with queue.maxBytes/,
    )
  })

  it('masks secrets when printing the effective config', () => {
    const masked = maskSecrets({
      output: {
        type: 'http',
        url: 'https://user:hunter2@es:9200/_bulk',
        headers: { authorization: 'ApiKey abc', 'content-type': 'x' },
        apiKey: 'k',
        tls: { key: '-----BEGIN PRIVATE KEY-----\nabc' },
      },
      fields: { env: 'prod' },
    })
    const text = JSON.stringify(masked)
    expect(text).not.toMatch(/hunter2|ApiKey abc|"k"|BEGIN/)
    expect(masked).toMatchObject({ output: { url: 'https://user:***@es:9200/_bulk', headers: { 'content-type': 'x' } }, fields: { env: 'prod' } })
  })
})

describe('registry', () => {
  const dir = (): string => mkdtempSync(join(tmpdir(), 'logship-registry-'))

  it('writes acknowledged offsets atomically with mode 0600 and reads them back', async () => {
    const path = join(dir(), 'sub', 'registry.json')
    const r = await Registry.open(path, () => {})
    const s = new FileState({ dev: 1, ino: 2, path: '/a.log', fpLen: 1024, fpHash: 'h', offset: 0, size: 100 })
    r.add(s)
    s.readOffset = 80
    s.acknowledge(50)
    await r.save()
    expect(statSync(path).mode & 0o777).toBe(0o600)
    const again = await Registry.open(path, () => {})
    expect(again.get('1:2')).toMatchObject({ path: '/a.log', readOffset: 50, ackedOffset: 50, fpLen: 1024, fpHash: 'h' })
    const writes = r.writes
    await r.save()
    expect(r.writes).toBe(writes) // nothing changed: nothing written
  })

  it('moves a corrupt registry aside with a warning and starts empty', async () => {
    const d = dir()
    const path = join(d, 'registry.json')
    writeFileSync(path, '{"version":1,"entries":[["1:2","/a.log",5,10,"h"')
    const warnings: string[] = []
    const r = await Registry.open(path, (m) => warnings.push(m))
    expect(r.states.size).toBe(0)
    expect(warnings[0]).toMatch(/could not be read .* moved it to .*registry\.json\.corrupt-.* files start by their `start` setting/)
    expect(readdirSync(d).some((f) => f.startsWith('registry.json.corrupt-'))).toBe(true)
  })

  it('round-trips 100,000 entries', async () => {
    const path = join(dir(), 'registry.json')
    const r = await Registry.open(path, () => {})
    for (let i = 0; i < 100_000; i++) {
      const s = new FileState({ dev: 7, ino: i, path: `/var/log/app/${i}.log`, fpLen: 1024, fpHash: `h${i}`, offset: i * 10, size: i * 10 })
      r.add(s)
    }
    await r.save()
    const states = parseRegistry(readFileSync(path, 'utf8'))
    expect(states).toHaveLength(100_000)
    expect(states[99_999]).toMatchObject({ key: '7:99999', path: '/var/log/app/99999.log', ackedOffset: 999_990 })
  })

  it('advances read pointers only as far as records are settled', () => {
    const acks = new AckQueue()
    const a = new FileState({ dev: 1, ino: 1, path: '/a', fpLen: 0, fpHash: '', offset: 0, size: 0 })
    const b = new FileState({ dev: 1, ino: 2, path: '/b', fpLen: 0, fpHash: '', offset: 0, size: 0 })
    acks.push(10, a, 100)
    acks.push(15, b, 40)
    acks.push(20, a, 200)
    acks.advance(12)
    expect([a.ackedOffset, b.ackedOffset]).toEqual([100, 0])
    acks.advance(20)
    expect([a.ackedOffset, b.ackedOffset, a.pendingAcks, b.pendingAcks]).toEqual([200, 40, 0, 0])
  })
})

describe('feeder', () => {
  /** A queue that answers 'full' to the offers numbered in `full` (0-based) and takes the others. */
  function target(full: number[]) {
    let offers = 0
    let accepted = 0
    const records: string[] = []
    return {
      records,
      offerText(record: string) {
        if (full.includes(offers++)) return 'full' as const
        records.push(record)
        accepted++
        return 'accepted' as const
      },
      offerRecord(record: Uint8Array) {
        return this.offerText(Buffer.from(record).toString())
      },
      async writable() {},
      progress: () => ({ accepted, settled: accepted }),
    }
  }

  it('never loses a record when the queue frees up right away, and drains every later backlog too', async () => {
    // 'a' meets a full queue and gets in at the drain's first try; 'b' and 'd' meet a full queue later.
    const t = target([0, 2, 5])
    const feeder = new Feeder(t, new AckQueue())
    feeder.offer('a')
    await feeder.drained()
    feeder.offer('b')
    feeder.offer('c')
    await feeder.drained()
    feeder.offerBytes(Buffer.from('d'))
    feeder.offerBytes(Buffer.from('e'))
    await feeder.drained()
    expect(t.records).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(feeder.backlogged).toBe(false)
  })

  it('records a checkpoint only after every record before it was accepted', async () => {
    const t = target([0, 1])
    const acks = new AckQueue()
    const feeder = new Feeder(t, acks)
    const state = new FileState({ dev: 1, ino: 9, path: '/x', fpLen: 0, fpHash: '', offset: 0, size: 0 })
    feeder.offer('one')
    feeder.checkpoint(state, 10)
    expect(acks.size).toBe(0)
    await feeder.drained()
    acks.advance(1)
    expect(state.ackedOffset).toBe(10)
  })
})
