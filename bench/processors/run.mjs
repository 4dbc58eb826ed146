#!/usr/bin/env node
// What a chain of 5 common processors costs in tail mode, end to end: `logship run --once`
// (the built CLI) reads a generated file and writes every event to a file output, once
// without processors and once with them, each run in its own process. Four runs:
//   plain            plain text lines, no parser, no processors (the bytes fast path)
//   plain + chain    the same lines with the chain (documents are built as objects)
//   json             JSON lines with parser: json, no processors
//   json + chain     the same with the chain
// The chain: add_fields, rename, convert, drop_fields, drop_event (drops ~1% of events).
// Usage: npm run bench:processors [-- --lines 300000]
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? fallback : process.argv[i + 1]
}
const LINES = Number(arg('lines', 300_000))
const ROUNDS = Number(arg('rounds', 3))
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const cli = join(root, 'dist', 'cli.js')

const CHAIN = `
processors:
  - add_fields: { target: labels, fields: { env: bench, team: web } }
  - rename: { fields: [{ from: log.offset, to: log.position }], ignoreMissing: true }
  - convert: { fields: [{ from: labels.team, to: labels.team_id, type: string }] }
  - drop_fields: { fields: [agent, ecs], ignoreMissing: true }
  - drop_event: { when: { contains: { message: 'GET /health' } } }
`

function generate(path, json) {
  const parts = []
  for (let i = 0; i < LINES; i++) {
    const pathPart = i % 100 === 0 ? '/health' : `/shop/item/${i % 997}`
    const ms = (i * 7919) % 1000
    parts.push(
      json
        ? JSON.stringify({
            level: 30,
            time: 1764000000000 + i,
            pid: 4242,
            hostname: 'web-1',
            msg: `GET ${pathPart} 200 ${ms}ms`,
            req: { id: i, method: 'GET', url: pathPart },
            res: { statusCode: 200 },
          })
        : `2026-11-24T12:00:00.${String(i % 1000).padStart(3, '0')}Z INFO web GET ${pathPart} 200 ${ms}ms user=u${i % 50}`,
    )
  }
  writeFileSync(path, `${parts.join('\n')}\n`)
}

function runOnce(dir, name, json, chain) {
  const out = join(dir, `${name}.ndjson`)
  rmSync(out, { force: true })
  const cfg = join(dir, `${name}.yml`)
  writeFileSync(
    cfg,
    `inputs:\n  - type: file\n    paths: ['${join(dir, json ? 'app.json.log' : 'app.log')}']\n${json ? '    parser: json\n' : ''}${chain ? CHAIN : ''}registry: { path: ${join(dir, `${name}-registry-${Math.random()}.json`)} }\noutput: { type: file, path: ${out} }\nstatsIntervalMs: 0\n`,
  )
  const started = process.hrtime.bigint()
  execFileSync(process.execPath, [cli, 'run', '--once', '-c', cfg], { stdio: ['ignore', 'ignore', 'inherit'] })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  const events = readFileSync(out, 'utf8').split('\n').length - 1
  return { seconds, events }
}

const dir = mkdtempSync(join(tmpdir(), 'logship-bench-processors-'))
try {
  generate(join(dir, 'app.log'), false)
  generate(join(dir, 'app.json.log'), true)
  const load = loadavg()[0]
  const scenarios = [
    ['plain', false, false],
    ['plain + chain', false, true],
    ['json', true, false],
    ['json + chain', true, true],
  ]
  // best of ROUNDS, rounds interleaved so that a busy moment hurts every scenario alike
  const best = new Map()
  for (let round = 0; round < ROUNDS; round++) {
    for (const [label, json, chain] of scenarios) {
      const r = runOnce(dir, label.replace(/\W+/g, '-'), json, chain)
      const prev = best.get(label)
      if (!prev || r.seconds < prev.seconds) best.set(label, r)
    }
  }
  const fmt = (n) => Math.round(n).toLocaleString('en-US')
  console.log(
    `logship run --once, ${fmt(LINES)} lines to a file output, best of ${ROUNDS}, Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average at start ${load.toFixed(1)}`,
  )
  for (const [label] of scenarios) {
    const r = best.get(label)
    console.log(`${label.padEnd(16)} ${fmt(LINES / r.seconds).padStart(9)} lines/s  ${r.seconds.toFixed(2)} s  ${fmt(r.events)} events shipped`)
  }
  const cost = (a, b) => `${(((best.get(b).seconds - best.get(a).seconds) / best.get(b).seconds) * 100).toFixed(0)}% of the time with the chain`
  console.log(`chain cost, plain lines: ${cost('plain', 'plain + chain')}; JSON lines (parser: json): ${cost('json', 'json + chain')}`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
