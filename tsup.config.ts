import { defineConfig } from 'tsup'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

// The worker entry is built alongside the library: the shipper starts it by file URL.
// The adapters are entries of their own (package exports logship/pino, logship/winston,
// logship/stdout); code splitting makes them share one copy of the core with `logship`.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    worker: 'src/shipper/worker-entry.ts',
    // The `logship` command (package.json "bin"); its #! line is kept by esbuild.
    cli: 'src/cli/bin.ts',
    pino: 'adapters/pino.ts',
    winston: 'adapters/winston.ts',
    stdout: 'adapters/stdout.ts',
  },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', pino: 'adapters/pino.ts', winston: 'adapters/winston.ts', stdout: 'adapters/stdout.ts' } },
  target: 'node20',
  platform: 'node',
  shims: true,
  clean: true,
  sourcemap: true,
  splitting: true,
  // Rollup then writes the CommonJS chunks. Without it tsup converts them with sucrase, which
  // rewrites every `?.` and `??` into helper calls that allocate an array and closures per
  // call, on the engine's per-record paths too (the worker runs the CommonJS build).
  treeshake: true,
  onSuccess: async () => requireDynamicImports('dist'),
})

/**
 * In the CommonJS files, `import('x')` becomes a `require('x')` in a promise. Rollup keeps
 * dynamic imports as they are, so loading an output lazily from CommonJS went through the ES
 * module loader: about 10 more Node internals, and the CommonJS lexer run over the loaded file
 * to find its exports, tens of milliseconds of CPU in a worker that starts while the app is
 * already writing.
 */
function requireDynamicImports(dir: string): void {
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.cjs'))) {
    const file = join(dir, name)
    const code = readFileSync(file, 'utf8')
    const rewritten = code.replace(
      /\bimport\((['"])([^'"\n]+)\1\)/g,
      (_, quote: string, specifier: string) => `Promise.resolve().then(() => require(${quote}${specifier}${quote}))`,
    )
    if (rewritten !== code) writeFileSync(file, rewritten)
  }
}
