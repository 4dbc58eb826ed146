import { defineConfig } from 'tsup'

// The worker entry is built alongside the library: the shipper starts it by file URL.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    worker: 'src/shipper/worker-entry.ts',
    // The `logship` command (package.json "bin"); its #! line is kept by esbuild.
    cli: 'src/cli/main.ts',
  },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  target: 'node20',
  platform: 'node',
  shims: true,
  clean: true,
  sourcemap: true,
  splitting: true,
})
