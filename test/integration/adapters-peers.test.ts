import { describe, it, expect } from 'vitest'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { spawnSync } from 'node:child_process'
import { ROOT } from '../helpers/cli.js'

/**
 * The built package installed without its optional peers: a copy of dist/ outside the repo
 * (so no parent node_modules has them) with only the runtime dependencies linked in.
 */
function installWithoutPeers(): string {
  const base = mkdtempSync(join(tmpdir(), 'logship-no-peers-'))
  const pkg = join(base, 'node_modules', 'logship')
  cpSync(join(ROOT, 'dist'), join(pkg, 'dist'), { recursive: true })
  cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'))
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
  mkdirSync(join(base, 'node_modules'), { recursive: true })
  for (const dep of Object.keys(manifest.dependencies)) symlinkSync(join(ROOT, 'node_modules', dep), join(base, 'node_modules', dep))
  return pkg
}

function load(entry: string): { loaded: boolean; message?: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'test/fixtures/security/load-adapter.mjs'), pathToFileURL(entry).href], { encoding: 'utf8' })
  return JSON.parse(r.stdout) as { loaded: boolean; message?: string }
}

describe('adapter transports are optional peer dependencies', () => {
  it('the package does not depend on pino-abstract-transport or winston-transport', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>
      peerDependenciesMeta: Record<string, { optional?: boolean }>
    }
    for (const name of ['pino-abstract-transport', 'winston-transport']) {
      expect(manifest.dependencies[name]).toBeUndefined()
      expect(manifest.peerDependenciesMeta[name]?.optional).toBe(true)
    }
  })

  it('without them, logship loads and the adapters say what to install', () => {
    const pkg = installWithoutPeers()
    expect(load(join(pkg, 'dist', 'index.js'))).toEqual({ loaded: true })
    expect(load(join(pkg, 'dist', 'pino.js')).message).toMatch(
      /logship\/pino needs the package pino-abstract-transport, an optional peer dependency .*npm install pino pino-abstract-transport/,
    )
    expect(load(join(pkg, 'dist', 'winston.js')).message).toMatch(/logship\/winston needs the package winston-transport, .*npm install winston winston-transport/)
    expect(load(join(pkg, 'dist', 'winston.cjs')).message).toMatch(/npm install winston winston-transport/)
  })
})
