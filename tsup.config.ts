import { defineConfig } from 'tsup'
// @ts-expect-error: a plain .mjs script, no types
import { requireDynamicImports } from './scripts/cjs-dynamic-require.mjs'

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
  onSuccess: async () => {
    requireDynamicImports('dist')
  },
})
