import { describe, it, expect } from 'vitest'
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CLI, ROOT, tempDir, readNdjson } from '../helpers/cli.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>

describe('node app.js | logship pipe --parser json', () => {
  it("ships a real pino app's lines with their own fields, message from msg and @timestamp from time", () => {
    const dir = tempDir('pipe-json')
    const app = join(dir, 'app.mjs')
    writeFileSync(
      app,
      `import pino from ${JSON.stringify(join(ROOT, 'node_modules/pino/pino.js'))}
       const logger = pino()
       for (let i = 0; i < 500; i++) logger.info({ reqId: i, user: { id: i % 7 } }, 'request done')
       logger.error(new Error('boom'), 'it failed')
       process.stdout.write('a line that is not JSON\\n')`,
    )
    const out = join(dir, 'out.ndjson')
    const r = spawnSync('sh', ['-c', `${process.execPath} ${app} | ${process.execPath} ${CLI} pipe --parser json --output-file ${out} --quiet`], { encoding: 'utf8' })
    expect(r.status, r.stderr).toBe(0)
    const docs = readNdjson<Doc>(out).events
    expect(docs).toHaveLength(502)
    // shipped in the order of stdin (pino and process.stdout are two writers, so the raw
    // line may land anywhere between pino's lines)
    expect(docs.map((d) => d.log.offset)).toEqual([...docs.map((d) => d.log.offset)].sort((a, b) => a - b))
    expect(docs.filter((d) => d.reqId !== undefined).map((d) => d.reqId)).toEqual(Array.from({ length: 500 }, (_, i) => i))
    const first = docs.find((d) => d.reqId === 0)!
    // the first line on stdin is pino's first, or the raw line when process.stdout won the race
    const raw = docs.find((d) => d.tags !== undefined)!
    const firstOffset = raw.log.offset === 0 ? Buffer.byteLength('a line that is not JSON\n') : 0
    expect(first).toMatchObject({ level: 30, msg: 'request done', message: 'request done', user: { id: 0 }, input: { type: 'stdin' }, log: { offset: firstOffset } })
    expect(first['@timestamp']).toBe(new Date(first.time as number).toISOString())
    expect(docs.find((d) => d.level === 50)).toMatchObject({ message: 'it failed', err: { type: 'Error', message: 'boom' } })
    expect(docs.find((d) => d.tags !== undefined)).toMatchObject({ message: 'a line that is not JSON', tags: ['_logship_parse_failure'] })
  })

  it('refuses an unknown parser with the names it knows', () => {
    const r = spawnSync(process.execPath, [CLI, 'pipe', '--parser', 'yaml', '--output-file', '/dev/null'], { input: 'x\n', encoding: 'utf8' })
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/inputs\[0\]\.parser: got "yaml"; expected one of json \| nginx\.access/)
  })
})
