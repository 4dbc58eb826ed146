// The bench-only peers (pino-elasticsearch, winston-elasticsearch) live in bench/.peers/,
// installed on first use with npm; the app side (pino, winston) is the project's own copy.
import { createRequire } from 'node:module'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const PEERS_DIR = fileURLToPath(new URL('../.peers/', import.meta.url))
const VERSIONS = { 'pino-elasticsearch': '9.0.0', 'winston-elasticsearch': '0.19.0', '@elastic/elasticsearch': '8.19.1' }

export function ensurePeers() {
  if (Object.keys(VERSIONS).every((p) => existsSync(`${PEERS_DIR}node_modules/${p}/package.json`))) return
  mkdirSync(PEERS_DIR, { recursive: true })
  writeFileSync(`${PEERS_DIR}package.json`, JSON.stringify({ name: 'logship-bench-peers', private: true, dependencies: VERSIONS }, null, 2))
  process.stderr.write(`installing bench peers into ${PEERS_DIR} ...\n`)
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: PEERS_DIR, stdio: ['ignore', 'ignore', 'inherit'] })
}

export const peerRequire = createRequire(`${PEERS_DIR}package.json`)

export function peerVersions() {
  const read = (p) => JSON.parse(readFileSync(`${PEERS_DIR}node_modules/${p}/package.json`, 'utf8')).version
  return Object.fromEntries(Object.keys(VERSIONS).map((p) => [p, read(p)]))
}
