import { describe, it, expect } from 'vitest'
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { unusedPid } from '../helpers/pids.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const SCRIPT = fileURLToPath(new URL('../fixtures/spill/lock-contender.mjs', import.meta.url))

describe('spill directory lock under contention', () => {
  it('exactly one of 4 processes racing for a stale lock gets the directory; the others are told who has it', async () => {
    mkdirSync(join(ROOT, '.tmp'), { recursive: true })
    const dir = join(mkdtempSync(join(ROOT, '.tmp', 'spill-lock-')), 'spill')
    mkdirSync(dir, { mode: 0o700 })
    writeFileSync(join(dir, 'lock'), `${JSON.stringify({ pid: unusedPid(), started: '1', host: hostname() })}\n`, { mode: 0o600 })
    const children = Array.from({ length: 4 }, () =>
      spawn(process.execPath, [SCRIPT], { cwd: ROOT, env: { ...process.env, LOGSHIP_TEST_SPILL_DIR: dir }, stdio: ['pipe', 'pipe', 'inherit'] }),
    )
    const lines = await Promise.all(
      children.map(
        (child) =>
          new Promise<string>((resolve, reject) => {
            let out = ''
            child.stdout.setEncoding('utf8').on('data', (d: string) => {
              out += d
              if (out.includes('\n')) resolve(out.split('\n')[0]!)
            })
            child.once('exit', (code) => reject(new Error(`a contender exited (${code}) without saying whether it got the lock: ${out}`)))
          }),
      ),
    )
    const won = lines.filter((l) => l.startsWith('WON '))
    expect(won, lines.join('\n')).toHaveLength(1)
    const winner = won[0]!.slice(4)
    for (const l of lines.filter((l) => !l.startsWith('WON ')))
      expect(l).toMatch(new RegExp(`^LOST spill dir .* is in use by process ${winner}; give each process its own queue\\.spill\\.dir$`))
    await Promise.all(children.map((c) => new Promise((resolve) => (c.exitCode !== null ? resolve(null) : (c.once('exit', resolve), c.stdin.end())))))
  })
})
