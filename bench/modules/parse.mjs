#!/usr/bin/env node
// Micro-benchmark of the nginx.access parser over N generated combined lines (default
// 1,000,000). Each scenario runs in its own Node process (fresh heap, no JIT or GC state
// carried over), one after the other:
//   parse                  the parser alone (lines/s, ns/line)
//   compiled               the same lines through parser: { nginx: { logFormat } } with nginx's
//                          combined format (the issue's bar: within 10% of the hand-written parser)
//   regex baseline         one precompiled regex with flat fields, for scale
//   raw doc                what tail mode does without a parser: wrap the line in an ECS document, encode
//   parsed doc             the same plus parse + merge the fields, then encode
//   compiled doc           the same with the compiled format's parser
// Every scenario runs --rounds times (default 3), interleaved, and the median is reported, so a
// burst of load from elsewhere on the machine hits one sample of each rather than one scenario.
// Each round also runs hand-written and compiled in one process, alternating every 10,000
// lines (scenario ab): on a shared machine that is the comparison to trust.
// "parsed doc vs raw doc" is the parser's cost on the encode path. Generation is not timed.
// Usage: npm run bench:modules [-- --lines 1000000 --rounds 3]
import { build } from 'esbuild'
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { nginxLineChunks } from './gen-nginx-lines.mjs'

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? fallback : process.argv[i + 1]
}
const LINES = Number(arg('lines', 1_000_000))
const ROUNDS = Number(arg('rounds', 3))
const COMBINED_FORMAT = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"'
const here = fileURLToPath(import.meta.url)
const root = join(dirname(here), '..', '..')

if (arg('scenario', '') !== '') {
  await runScenario(arg('scenario', ''), arg('bundle', ''))
} else {
  // The parsers are TypeScript sources; bundle them once (esbuild comes with tsup), inside the
  // repository so the bundle resolves zod and tinyglobby from node_modules.
  const dir = join(root, 'bench', 'modules', '.build')
  mkdirSync(dir, { recursive: true })
  const bundle = join(dir, `modules-${process.pid}.mjs`)
  await build({
    // what the scenarios use, without asking the modules barrel to export it for them
    stdin: {
      contents: "export { createParser, compileLogFormatParser } from './parsers.ts'\nexport { mergeFields } from './merge.ts'\n",
      resolveDir: join(root, 'src/tail/modules'),
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: bundle,
    external: ['zod', 'tinyglobby'],
    logLevel: 'warning',
  })
  const load = loadavg()[0]
  const scenarioNames = ['parse', 'compiled', 'regex', 'raw', 'parsed', 'compiledDoc']
  const samples = new Map(scenarioNames.map((s) => [s, []]))
  const abRuns = []
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const scenario of scenarioNames) {
        const out = execFileSync(process.execPath, [here, '--scenario', scenario, '--bundle', bundle, '--lines', String(LINES)], { encoding: 'utf8' })
        samples.get(scenario).push(JSON.parse(out))
      }
      // the same comparison in one process, alternating every 10,000 lines
      const out = execFileSync(process.execPath, [here, '--scenario', 'ab', '--bundle', bundle, '--lines', String(LINES)], { encoding: 'utf8' })
      abRuns.push(JSON.parse(out))
    }
  } finally {
    rmSync(bundle, { force: true })
  }
  const median = (list) => [...list].sort((a, b) => a.nsPerLine - b.nsPerLine)[Math.floor(list.length / 2)]
  const results = scenarioNames.map((s) => median(samples.get(s)))
  const fmt = (n) => Math.round(n).toLocaleString('en-US')
  console.log(
    `nginx.access parser, ${fmt(LINES)} generated combined lines, median of ${ROUNDS} rounds, Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average at start ${load.toFixed(1)}, at end ${loadavg()[0].toFixed(1)}`,
  )
  for (const r of results) {
    console.log(
      `${r.label.padEnd(40)} ${fmt(r.linesPerSecond).padStart(11)} lines/s  ${r.nsPerLine.toFixed(0).padStart(6)} ns/line  ${r.seconds.toFixed(2)} s  peak RSS ${r.rssMb} MB${r.failures ? `  (${r.failures} parse failures!)` : ''}`,
    )
  }
  const [parse, compiled, , raw, parsed, compiledDoc] = results
  console.log(
    `parser cost on the encode path: +${(parsed.nsPerLine - raw.nsPerLine).toFixed(0)} ns/line; parsed path runs at ${((100 * parsed.linesPerSecond) / raw.linesPerSecond).toFixed(0)}% of raw`,
  )
  const spread = (name) =>
    samples
      .get(name)
      .map((r) => r.nsPerLine.toFixed(0))
      .join('/')
  console.log(
    `compiled log_format vs hand-written: parser alone ${((100 * compiled.nsPerLine) / parse.nsPerLine - 100).toFixed(1)}% ns/line (samples ${spread('compiled')} vs ${spread('parse')}); on the encode path ${((100 * compiledDoc.nsPerLine) / parsed.nsPerLine - 100).toFixed(1)}% (samples ${spread('compiledDoc')} vs ${spread('parsed')})`,
  )
  const pct = (r, a, b) => (100 * r[b]) / r[a] - 100
  const mid = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]
  console.log(
    `interleaved in one process (every 10,000 lines), median of ${ROUNDS}: compiled vs hand-written parser alone ${mid(abRuns.map((r) => pct(r, 'parse', 'compiled'))).toFixed(1)}% ns/line (rounds ${abRuns.map((r) => pct(r, 'parse', 'compiled').toFixed(1)).join('/')}), on the encode path ${mid(abRuns.map((r) => pct(r, 'parsed', 'compiledDoc'))).toFixed(1)}% (rounds ${abRuns.map((r) => pct(r, 'parsed', 'compiledDoc').toFixed(1)).join('/')}); hand-written ${mid(abRuns.map((r) => r.parse)).toFixed(0)} ns/line alone, ${mid(abRuns.map((r) => r.parsed)).toFixed(0)} on the encode path`,
  )
  if (parse.failures > 0 || compiled.failures > 0) process.exitCode = 1
}

async function runScenario(scenario, bundle) {
  const { createParser, mergeFields, compileLogFormatParser } = await import(pathToFileURL(bundle).href)
  const parser = createParser('nginx.access')
  const compiledParser = compileLogFormatParser({ nginx: { logFormat: COMBINED_FORMAT } }).parse
  const base = (line, offset) => ({
    '@timestamp': '2024-06-01T00:00:00.000Z',
    message: line,
    log: { file: { path: '/var/log/nginx/access.log' }, offset },
    input: { type: 'file' },
    host: { name: 'bench' },
    agent: { type: 'logship', version: '0.1.0' },
    ecs: { version: '8.11.0' },
  })
  // For scale: one precompiled regex for the combined format (what a grok-style parser does),
  // with no unescaping, URL splitting or ECS nesting, so it does less work than the parser.
  const COMBINED = /^(\S+) (\S+) (\S+) \[([^\]]+)\] "(\S+) (\S+) HTTP\/(\S+)" (\d{3}) (\d+|-) "([^"]*)" "([^"]*)"$/
  const scenarios = {
    parse: ['parse (hand-written nginx.access)', (line) => parser(line)],
    compiled: ['parse (compiled combined log_format)', (line) => compiledParser(line)],
    regex: [
      'regex baseline (flat fields, no ECS)',
      (line) => {
        const m = COMBINED.exec(line)
        return m === null
          ? { tags: ['_fail'] }
          : { address: m[1], user: m[3], time: m[4], method: m[5], url: m[6], version: m[7], status: Number(m[8]), bytes: m[9], referrer: m[10], agent: m[11] }
      },
    ],
    raw: ['raw doc (encode only)', (line, i) => JSON.stringify(base(line, i))],
    parsed: ['parsed doc (parse + merge + encode)', (line, i) => JSON.stringify(mergeFields(base(line, i), parser(line)))],
    compiledDoc: ['compiled doc (parse + merge + encode)', (line, i) => JSON.stringify(mergeFields(base(line, i), compiledParser(line)))],
  }
  if (scenario === 'ab') return runInterleaved(scenarios)
  const [label, perLine] = scenarios[scenario]
  // Warm up the JIT first so every scenario is measured in its steady state.
  for (const lines of nginxLineChunks(50_000, { seed: 7 })) for (let i = 0; i < lines.length; i++) perLine(lines[i], i)
  let ns = 0n
  let count = 0
  let failures = 0
  for (const lines of nginxLineChunks(LINES)) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < lines.length; i++) {
      const r = perLine(lines[i], count + i)
      if (typeof r !== 'string' && r.tags !== undefined) failures++
    }
    ns += process.hrtime.bigint() - start
    count += lines.length
  }
  const seconds = Number(ns) / 1e9
  process.stdout.write(
    JSON.stringify({
      label,
      lines: count,
      seconds,
      linesPerSecond: count / seconds,
      nsPerLine: Number(ns) / count,
      failures,
      rssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  )
}

/**
 * Hand-written vs compiled in one process, alternating every chunk of lines (about 0.1 s
 * each), for the parser alone and on the encode path: a burst of load from elsewhere on the
 * machine then lands on both sides alike, which separate processes minutes apart cannot promise.
 */
function runInterleaved(scenarios) {
  const pairs = [
    ['parse', 'compiled'],
    ['parsed', 'compiledDoc'],
  ]
  for (const [a, b] of pairs)
    for (const lines of nginxLineChunks(50_000, { seed: 7 })) for (let i = 0; i < lines.length; i++) scenarios[a][1](lines[i], i), scenarios[b][1](lines[i], i)
  const ns = { parse: 0n, compiled: 0n, parsed: 0n, compiledDoc: 0n }
  let count = 0
  for (const lines of nginxLineChunks(LINES, { chunk: 10_000 })) {
    for (const [a, b] of pairs) {
      // alternate which side goes first, so neither always runs on a warmer cache
      const order = count % 20_000 === 0 ? [a, b] : [b, a]
      for (const name of order) {
        const perLine = scenarios[name][1]
        const start = process.hrtime.bigint()
        for (let i = 0; i < lines.length; i++) perLine(lines[i], count + i)
        ns[name] += process.hrtime.bigint() - start
      }
    }
    count += lines.length
  }
  process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(ns).map(([k, v]) => [k, Number(v) / count]))))
}
