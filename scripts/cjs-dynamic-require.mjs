// After the build: in the CommonJS files, `import('x')` becomes a `require('x')` in a promise.
// Rollup (which writes those files, see tsup.config.ts) keeps dynamic imports as they are, so
// loading an output lazily from CommonJS went through the ES module loader: about 10 more Node
// internals to load, and the CommonJS lexer run over the loaded file to find its exports,
// tens of milliseconds of CPU in a worker that starts while the app is already writing.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const DYNAMIC_IMPORT = /\bimport\((['"])([^'"\n]+)\1\)/g

export function requireDynamicImports(dir) {
  let changed = 0
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.cjs')) continue
    const file = join(dir, name)
    const code = readFileSync(file, 'utf8')
    const rewritten = code.replace(DYNAMIC_IMPORT, (_, quote, specifier) => `Promise.resolve().then(() => require(${quote}${specifier}${quote}))`)
    if (rewritten !== code) {
      writeFileSync(file, rewritten)
      changed++
    }
  }
  return changed
}
