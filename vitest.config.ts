import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // In CI a failed test runs once more: the CI machine has 2 shared cores, where a child
    // process can miss a generous bound now and then. A pass on the second try is not hidden:
    // .ci/run names every such test as FLAKY in its summary (its first failure is kept).
    retry: process.env.CI === 'true' ? 1 : 0,
    reporters: ['default', './test/support/skipped-suites-reporter.ts'],
  },
})
