import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'

// The config's, the tail modules' and the CLI's schemas are built on first use, like the
// library's: importing them loads no zod (src/util/zod.ts requires it when a schema is built).
// This file imports nothing that loads zod at the top, and vitest runs each file in its own process.
const require = createRequire(import.meta.url)
const zodLoaded = (): boolean => require.cache[require.resolve('zod')] !== undefined

describe('config schemas: nothing built at import', () => {
  it('importing the config front door, the modules and the CLI loader loads no zod; the first check does, with the same errors', async () => {
    expect(zodLoaded()).toBe(false)
    await import('../../src/config/index.js')
    await import('../../src/config/resolve.js')
    await import('../../src/config/schema.js')
    await import('../../src/tail/modules/index.js')
    await import('../../src/tail/modules/parsers.js')
    await import('../../src/cli/load.js')
    expect(zodLoaded()).toBe(false)

    const { parseConfigText, ConfigError } = await import('../../src/config/index.js')
    const yaml = 'inputs: [{ type: file, paths: [/tmp/x.log], timezone: Mars/Olympus }]\noutput: { type: console }\nmodules: [{ module: nginx, acess: {} }]\n'
    expect(() => parseConfigText(yaml, 'logship.yml', { env: {} })).toThrow(ConfigError)
    expect(zodLoaded()).toBe(true)
    try {
      parseConfigText(yaml, 'logship.yml', { env: {} })
    } catch (err) {
      expect((err as InstanceType<typeof ConfigError>).problems).toEqual([
        'line 1: inputs[0].timezone: got "Mars/Olympus"; expected local, UTC, an offset such as +02:00, or an IANA zone name such as Europe/Berlin',
        'line 3: modules[0]: unknown key "acess"; did you mean "access"?',
      ])
    }
  })
})
