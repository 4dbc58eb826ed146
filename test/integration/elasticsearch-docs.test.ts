import { afterEach, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { startFakeElasticsearch, type FakeElasticsearch } from '../helpers/fake-elasticsearch.js'
import { runScript } from '../helpers/child.js'

const DOC = fileURLToPath(new URL('../../docs/outputs/elasticsearch.md', import.meta.url))
let es: FakeElasticsearch

afterEach(async () => {
  await es?.close()
})

describe('docs/outputs/elasticsearch.md', () => {
  it('the example runs as written against an Elasticsearch _bulk server', async () => {
    const blocks = [...readFileSync(DOC, 'utf8').matchAll(/```js es-example\n([\s\S]*?)```/g)].map((m) => m[1]!)
    expect(blocks).toHaveLength(1)
    const code = blocks[0]!
    es = await startFakeElasticsearch()
    // the cluster of the example maps `bytes` as a number
    es.faults.mappingError = (source) => source.bytes !== undefined && typeof source.bytes !== 'number'
    const result = await runScript(code.replaceAll('http://127.0.0.1:9200', es.urls[0]!))
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const promised = [...code.matchAll(/console\.log\(.*\)\s*\/\/\s*(.+)$/gm)].map((m) => m[1]!.trim())
    const printed = result.stdout.trim().split('\n')
    expect(printed).toEqual(['dead-lettered 1: document_parsing_exception', ...promised])
    expect(es.docs('logs-app-2025.03.14').map((d) => d.source.msg)).toEqual(['order placed'])
    const dead = es.docs('logship-dead-letter').map((d) => d.source as { event: { original: string }; error: { type: string; code: string } })
    expect(dead).toHaveLength(1)
    expect(JSON.parse(dead[0]!.event.original)).toMatchObject({ msg: 'bad document', bytes: 'many' })
    expect(dead[0]!.error).toMatchObject({ type: 'document_parsing_exception', code: '400' })
  })
})
