// @elastic/elasticsearch 8 client.helpers.bulk over the lines (helper defaults: 5 MB flushes, concurrency 5).
import { SINK_URL, COMPRESSION, doc, lines, peerRequire } from './common.mjs'

const { Client } = peerRequire('@elastic/elasticsearch')
const client = new Client({ node: SINK_URL, ...(COMPRESSION ? { compression: true } : {}) })
async function* docs() {
  for await (const line of lines()) yield doc(line)
}
const result = await client.helpers.bulk({
  datasource: docs(),
  onDocument: () => ({ index: { _index: 'logship-bench' } }),
  onDrop: (d) => console.error('dropped', d.status, d.error?.type),
})
console.error(JSON.stringify(result))
await client.close()
