import { describe, it, expect } from 'vitest'
import { isAbsolute, join } from 'node:path'
import { homedir } from 'node:os'
import { parseConfigText } from '../../src/config/index.js'
import { defaultStateDir } from '../../src/config/state-dir.js'
import { resolveOptions } from '../../src/options/resolve.js'

describe('state never defaults to the working directory', () => {
  it('the CLI keeps its registry and spill in the state directory', () => {
    const config = parseConfigText(`inputs: [{ type: file, paths: ['/var/log/*.log'] }]\noutput: { type: console }\n`, 'logship.yml')
    expect(isAbsolute(config.registry.path)).toBe(true)
    expect(config.registry.path).toBe(join(defaultStateDir(), 'registry.json'))
    expect(config.queue.spill.dir).toBe(join(defaultStateDir(), 'spill'))
    expect(config.strictPerms).toBe(true)
  })

  it('the state directory: systemd StateDirectory, then /var/lib/logship for root, then XDG', () => {
    expect(defaultStateDir({ STATE_DIRECTORY: '/var/lib/logship:/var/lib/other' }, 1000)).toBe('/var/lib/logship')
    expect(defaultStateDir({}, 0)).toBe('/var/lib/logship')
    expect(defaultStateDir({ XDG_STATE_HOME: '/home/u/.state' }, 1000)).toBe('/home/u/.state/logship')
    expect(defaultStateDir({}, 1000)).toBe(join(homedir(), '.local', 'state', 'logship'))
  })

  it('the library needs an explicit spill dir for durable and spill modes', () => {
    expect(() => resolveOptions({ output: { type: 'console' }, queue: { durable: true } })).toThrow(/queue\.spill\.dir: .*expected a directory only this app uses for the spill/)
    expect(() => resolveOptions({ output: { type: 'console' }, queue: { whenFull: 'spill' } })).toThrow(/queue\.spill\.dir/)
    expect(resolveOptions({ output: { type: 'console' } }).queue.spill.dir).toBeUndefined()
    expect(resolveOptions({ output: { type: 'console' }, queue: { durable: true, spill: { dir: '/tmp/x' } } }).queue.spill.dir).toBe('/tmp/x')
  })
})
