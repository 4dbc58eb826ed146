#!/usr/bin/env node
// Micro-benchmark of the nginx.access parser: N generated combined lines (default
// 1,000,000), timed three ways in one run:
//   parse     the parser alone (lines/s, ns/line)
//   raw doc   what tail mode does without a parser: wrap the line in an ECS document, encode
//   parsed    the same plus parse + merge the fields, then encode
// so "parsed vs raw doc" is the parser's cost on the encode path. Generation is not timed.
// Usage: npm run bench:modules [-- --lines 1000000]
import { build } from 'esbuild'
import { mkdirSync, rmSync } from 'node:fs'
import { cpus } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { nginxLineChunks } from './gen-nginx-lines.mjs'

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? fallback : Number(process.argv[i + 1])
}
const LINES = arg('lines', 1_000_000)
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

// The parsers are TypeScript sources; bundle them once (esbuild comes with tsup), inside the
// repository so the bundle resolves zod and tinyglobby from node_modules.
const dir = join(root, 'bench', 'modules', '.build')
mkdirSync(dir, { recursive: true })
const outfile = join(dir, `modules-${process.pid}.mjs`)
await build({ entryPoints: [join(root, 'src/tail/modules/index.ts')], bundle: true, platform: 'node', format: 'esm', outfile, external: ['zod', 'tinyglobby'], logLevel: 'warning' })
const { createParser, mergeFields } = await import(pathToFileURL(outfile).href)
rmSync(dir, { recursive: true, force: true })

const base = (line, offset) => ({
  '@timestamp': '2024-06-01T00:00:00.000Z',
  message: line,
  log: { file: { path: '/var/log/nginx/access.log' }, offset },
  input: { type: 'file' },
  host: { name: 'bench' },
  agent: { type: 'logship', version: '0.1.0' },
  ecs: { version: '8.11.0' },
})

function run(label, perLine) {
  let ns = 0n
  let count = 0
  let bytes = 0
  let failures = 0
  for (const lines of nginxLineChunks(LINES)) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < lines.length; i++) {
      const r = perLine(lines[i], count + i)
      if (typeof r === 'string') bytes += r.length
      else if (r.tags !== undefined) failures++
    }
    ns += process.hrtime.bigint() - start
    count += lines.length
  }
  const seconds = Number(ns) / 1e9
  return { label, lines: count, seconds, linesPerSecond: count / seconds, nsPerLine: Number(ns) / count, bytes, failures }
}

const parser = createParser('nginx.access')
// Warm up the JIT on a small run first so the timed runs compare steady states.
for (const lines of nginxLineChunks(50_000, { seed: 7 })) for (const l of lines) JSON.stringify(mergeFields(base(l, 0), parser(l)))

// For scale: one precompiled regex for the combined format (what a grok-style parser does),
// with no unescaping, URL splitting or ECS nesting, so it does less work than the parser.
const COMBINED = /^(\S+) (\S+) (\S+) \[([^\]]+)\] "(\S+) (\S+) HTTP\/(\S+)" (\d{3}) (\d+|-) "([^"]*)" "([^"]*)"$/
const regexParse = (line) => {
  const m = COMBINED.exec(line)
  return m === null ? { tags: ['_fail'] } : { address: m[1], user: m[3], time: m[4], method: m[5], url: m[6], version: m[7], status: Number(m[8]), bytes: m[9], referrer: m[10], agent: m[11] }
}

const results = [
  run('parse', (line) => parser(line)),
  run('regex baseline (flat fields, no ECS)', regexParse),
  run('raw doc (encode only)', (line, i) => JSON.stringify(base(line, i))),
  run('parsed doc (parse + merge + encode)', (line, i) => JSON.stringify(mergeFields(base(line, i), parser(line)))),
]
const fmt = (n) => Math.round(n).toLocaleString('en-US')
console.log(`nginx.access parser, ${fmt(LINES)} generated combined lines, Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'})`)
for (const r of results) {
  console.log(`${r.label.padEnd(38)} ${fmt(r.linesPerSecond).padStart(11)} lines/s  ${r.nsPerLine.toFixed(0).padStart(6)} ns/line  ${r.seconds.toFixed(2)} s${r.failures ? `  (${r.failures} parse failures!)` : ''}`)
}
const [parse, , raw, parsed] = results
console.log(`parser share of the parsed encode path: ${(100 * (1 - raw.nsPerLine / parsed.nsPerLine)).toFixed(0)}% (parsed path runs at ${(100 * parsed.linesPerSecond / raw.linesPerSecond).toFixed(0)}% of raw)`)
if (parse.failures > 0) process.exitCode = 1
