import { describe, it, expect } from 'vitest'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { CLI, ROOT, tempDir } from '../helpers/cli.js'
import { descriptorAdvice } from '../../src/util/fd-limit.js'

/**
 * Under a very low open-file limit (`ulimit -n`), logship could not even load its own modules
 * and died with only `EMFILE: too many open files, open '.../dist/chunk-X.js'`: nothing said
 * that the limit was the problem or how to raise it. Which limit is too low depends on the
 * Node version, so every limit from 20 to 64 is tried: whenever the run dies of EMFILE once
 * logship's first file is loaded, the message must say what to raise; and at least one of them
 * must die of it.
 */
describe('a process limit of open files too low to start', () => {
  it('says it ran out of file descriptors, the limit, and how to raise it', () => {
    const dir = tempDir('fd-limit')
    let diedOfEmfile = 0
    for (let limit = 20; limit <= 64; limit += 4) {
      const out = join(dir, `out-${limit}.ndjson`)
      const run = spawnSync('bash', ['-c', `ulimit -n ${limit} && exec "$0" "$@"`, process.execPath, CLI, 'pipe', '--output-file', out], {
        cwd: ROOT,
        input: '{"a":1}\n',
        encoding: 'utf8',
        timeout: 30_000,
      })
      if (!/EMFILE/.test(run.stderr)) continue
      // Node could not even read logship's first file (Node 22 at 20): no code of logship's ran
      if (run.stderr.includes(`open '${CLI}'`)) continue
      diedOfEmfile++
      expect(run.stderr, `ulimit -n ${limit}`).toContain(`ran out of file descriptors (its limit, ulimit -n, is ${limit})`)
      expect(run.stderr, `ulimit -n ${limit}`).toContain('LimitNOFILE=')
      expect(run.status, `ulimit -n ${limit}`).not.toBe(0)
    }
    expect(diedOfEmfile).toBeGreaterThan(0)
  })

  it('tells EMFILE (this process) from ENFILE (the whole system), also when only the message names it', () => {
    expect(descriptorAdvice(Object.assign(new Error('open failed'), { code: 'EMFILE' }))).toMatch(/ran out of file descriptors/)
    expect(descriptorAdvice(new Error("EMFILE: too many open files, open '/x/chunk.js'"))).toMatch(/ulimit -n/)
    expect(descriptorAdvice(Object.assign(new Error('open failed'), { code: 'ENFILE' }))).toMatch(/fs\.file-max/)
    expect(descriptorAdvice(new Error('ECONNREFUSED'))).toBe('')
  })
})
