import { describe, it, expect } from 'vitest'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startSink } from '../helpers/sink.js'
import { runScript } from '../helpers/child.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return markdownFiles(path)
    return name.endsWith('.md') ? [path] : []
  })
}

/** Code blocks fenced as ```js example — the docs promise they run. */
function examples(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  return [...text.matchAll(/```js example\n([\s\S]*?)```/g)].map((m) => m[1]!)
}

const files = [join(ROOT, 'README.md'), ...markdownFiles(join(ROOT, 'docs'))].filter((f) => examples(f).length > 0)

describe('documentation examples run as written', () => {
  it('finds examples to run', () => {
    expect(files.length).toBeGreaterThan(0)
  })
  for (const file of files) {
    examples(file).forEach((code, n) => {
      it(`${relative(ROOT, file)} example ${n + 1}`, async () => {
        const sink = await startSink()
        const source = code.replaceAll('http://127.0.0.1:8080', `http://127.0.0.1:${sink.port}`)
        const result = await runScript(source)
        expect(result.stderr).toBe('')
        expect(result.code).toBe(0)
        // `console.log(x)   // value` in an example promises that output, in order
        const promised = [...code.matchAll(/console\.log\(.*\)\s*\/\/\s*(.+)$/gm)].map((m) => m[1]!.trim())
        const printed = result.stdout.trim().split('\n').filter(Boolean)
        expect(printed.slice(0, promised.length)).toEqual(promised)
      })
    })
  }
})
