/**
 * Import rules, checked by `npm run lint` (dependency-cruiser): no import cycle in src/ or
 * adapters/, and the floors of docs/architecture.md ("Layers"): a folder imports only from
 * folders on its own floor or below, with the two exceptions that page names.
 *
 * Type-only imports count (`tsPreCompilationDeps: true`). `import type` is erased at run time,
 * so a cycle through it cannot break module loading, but it still ties the two files together:
 * neither can be read, tested or moved without the other. A type both sides need goes to a
 * file of its own, or is declared by the side that uses it (see FileReader in
 * src/tail/file-state.ts).
 */

// Floors from docs/architecture.md, lowest first: regular expressions on the path from the
// repository root.
const floors = [
  /* 1 */ ['src/shared/', 'src/util/', 'src/fs/', 'src/errors\\.ts$', 'src/redact\\.ts$', 'src/tls-errors\\.ts$', 'src/version\\.ts$'],
  /* 2 */ ['src/outputs/', 'src/spill/', 'src/ring/'],
  /* 3 */ ['src/options/'],
  /* 4 */ ['src/engine/', 'src/record/', 'src/config/'],
  /* 5 */ ['src/shipper/'],
  /* 6 */ ['src/tail/', 'src/metrics/', 'src/output-check/', 'adapters/', 'src/index\\.ts$'],
  /* 7 */ ['src/cli/'],
]

// The exceptions docs/architecture.md names: importer, imported, floor of the importer.
const exceptions = [
  { from: '^src/config/', to: '^src/tail/', floor: 4, why: "config/ takes the tail modules' config schema and the tail's record limit" },
  { from: '^src/shipper/shipper\\.ts$', to: '^src/metrics/', floor: 5, why: 'shipper.ts starts the stats server' },
]

const anyOf = (paths) => `^(${paths.join('|')})`
const above = (floor) => anyOf(floors.slice(floor).flat())

const floorRules = floors.slice(0, -1).map((paths, i) => {
  const floor = i + 1
  const excepted = exceptions.filter((e) => e.floor === floor).map((e) => e.from)
  return {
    name: `floor-${floor}-imports-above`,
    comment: `Floor ${floor} imports only from floor ${floor} or below (docs/architecture.md, "Layers").`,
    severity: 'error',
    from: { path: anyOf(paths), ...(excepted.length > 0 ? { pathNot: excepted } : {}) },
    to: { path: above(floor) },
  }
})

const exceptionRules = exceptions.map((e) => ({
  name: `floor-${e.floor}-imports-above`,
  comment: `Floor ${e.floor} imports only from floor ${e.floor} or below; ${e.from} may also import ${e.to} (${e.why}).`,
  severity: 'error',
  from: { path: e.from },
  to: { path: above(e.floor), pathNot: e.to },
}))

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle: move what both files need (often a type) to a file of its own.',
      severity: 'error',
      from: { path: '^(src|adapters)/' },
      to: { circular: true },
    },
    {
      name: 'not-resolvable',
      comment: 'An import that does not resolve to a file (a typo, or a dependency missing from package.json).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    ...floorRules,
    ...exceptionRules,
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
  },
}
