import { describe, it, expect } from 'vitest'
import { mkdtempSync, writeFileSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfigFile, ConfigError } from '../../src/config/index.js'

function problemOf(file: string): string {
  try {
    loadConfigFile(file)
  } catch (err) {
    if (err instanceof ConfigError) return err.message
    throw err
  }
  throw new Error('expected a ConfigError')
}

/**
 * `-c` naming something that is not a readable YAML file: the message said what the system
 * call said ("EISDIR: illegal operation on a directory, read", "ENOENT: no such file or
 * directory") and an empty file was "expected a mapping at the top"; none said what to do.
 */
describe('a config file that cannot be read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logship-config-read-'))

  it('a directory', () => {
    expect(problemOf(dir)).toBe(`${dir}: is a directory; give the YAML config file, such as ${join(dir, 'logship.yml')}`)
  })

  it('a missing file', () => {
    const missing = join(dir, 'nope.yml')
    expect(problemOf(missing)).toBe(`${missing}: no such file; check the path (a relative path is read from ${process.cwd()})`)
  })

  it('a symbolic link loop', () => {
    const a = join(dir, 'a.yml')
    const b = join(dir, 'b.yml')
    symlinkSync(b, a)
    symlinkSync(a, b)
    expect(problemOf(a)).toMatch(/symbolic links? .*loop|too many symbolic links/)
    expect(problemOf(a)).toMatch(/point -c at the real file/)
  })

  it.each([
    ['empty', ''],
    ['only comments', '# nothing here yet\n'],
  ])('an %s file', (_what, text) => {
    const file = join(dir, `${_what.replace(' ', '-')}.yml`)
    writeFileSync(file, text)
    expect(problemOf(file)).toMatch(/the file holds no settings; write at least:/)
  })
})
