import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { startSink } from '../helpers/sink.js'
import { runScript } from '../helpers/child.js'

// Every code block marked `<!-- runnable: expects N events -->` in the adapter docs runs as
// written, against a local sink standing in for http://127.0.0.1:8080/ingest.
const DOCS = ['pino', 'winston', 'stdout']
const EXAMPLE = /<!-- runnable: expects (\d+) events -->\n```js\n([\s\S]*?)\n```/g
const PLACEHOLDER = 'http://127.0.0.1:8080/ingest'

for (const doc of DOCS) {
  const text = readFileSync(new URL(`../../docs/adapters/${doc}.md`, import.meta.url), 'utf8')
  const examples = [...text.matchAll(EXAMPLE)].map((m) => ({ expected: Number(m[1]), source: m[2]! }))
  describe(`docs/adapters/${doc}.md`, () => {
    it('has runnable examples', () => {
      expect(examples.length).toBeGreaterThan(0)
      for (const e of examples) expect(e.source).toContain(PLACEHOLDER)
    })
    examples.forEach((example, i) => {
      it(`example ${i + 1} runs and ships ${example.expected} events`, async () => {
        const sink = await startSink()
        const result = await runScript(example.source.replaceAll(PLACEHOLDER, sink.url))
        expect(result.code, result.stderr).toBe(0)
        expect(await sink.events()).toHaveLength(example.expected)
      })
    })
  })
}
