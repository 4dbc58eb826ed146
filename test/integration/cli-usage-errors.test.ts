import { describe, it, expect } from 'vitest'
import { runCli, tempDir, writeConfig } from '../helpers/cli.js'

/**
 * Usage errors exit 2 (`logship pipe --help`: "1 when some were refused or not acknowledged, 2
 * for usage errors"; a bad config exits 2). Commander's own usage errors (an unknown option, a
 * missing -c) exited 1: a script reading pipe's exit status took a typo for lost lines.
 */
describe('usage errors', () => {
  it.each([
    [['pipe', '--bogus'], /unknown option '--bogus'/],
    [['run'], /required option '-c, --config <file>' not specified/],
    [['test', 'config'], /required option '-c, --config <file>' not specified/],
    [['nosuchcommand'], /unknown command 'nosuchcommand'/],
  ])('logship %s exits 2 and says what was wrong', async (args, message) => {
    const r = await runCli(args)
    expect(r.stderr).toMatch(message)
    expect(r.code).toBe(2)
  })

  it('help and version still exit 0', async () => {
    expect((await runCli(['--help'])).code).toBe(0)
    expect((await runCli(['pipe', '--help'])).code).toBe(0)
    expect((await runCli(['--version'])).code).toBe(0)
  })

  it.each(['abc', '-5', '1e3', '2.5'])('test output --timeout-ms %s is refused as a usage error naming the flag, before any connection', async (value) => {
    const dir = tempDir('usage-timeout')
    const cfg = writeConfig(dir, `inputs: [{ type: stdin }]\noutput: { type: file, path: '${dir}/out.ndjson' }\n`)
    const r = await runCli(['test', 'output', '-c', cfg, '--timeout-ms', value])
    expect(r.stderr).toMatch(/--timeout-ms.*expected whole milliseconds/)
    expect(r.stdout).toBe('')
    expect(r.code).toBe(2)
  })
})
