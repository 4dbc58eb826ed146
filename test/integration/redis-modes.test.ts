import { describe, it, expect } from 'vitest'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pino from 'pino'
import { createShipper } from 'logship'
import { missingSoftware } from '../helpers/system-software.js'
import { startRedisServer } from '../helpers/redis.js'
import { runCli, tempDir, writeConfig } from '../helpers/cli.js'

const skip = missingSoftware('redis output from the library, pino and tail mode (real redis-server)', ['redis-server'])
const range = (n: number) => Array.from({ length: n }, (_, i) => i)

const flushed = (logger: pino.Logger): Promise<void> => new Promise((resolve, reject) => logger.flush((err) => (err ? reject(err) : resolve())))
const ended = (transport: { end(): void; once(event: 'close', cb: () => void): void }): Promise<void> =>
  new Promise((resolve) => {
    transport.once('close', resolve)
    transport.end()
  })

/** The same output options in every mode: only the URL (the test server's port) differs. */
const outputFor = (url: string, dataType: 'list' | 'stream') => ({ type: 'redis' as const, url, key: 'app-logs', dataType })

describe.skipIf(skip)('the redis output with the same options in every mode', () => {
  for (const dataType of ['list', 'stream'] as const) {
    it(`${dataType}: library (createShipper), the pino transport and tail mode all store every event`, async () => {
      const redis = await startRedisServer(tempDir(`redis-modes-${dataType}`))
      const admin = redis.admin()
      const stored = async (): Promise<Record<string, unknown>[]> => {
        const texts = dataType === 'list' ? await admin.lrange('app-logs', 0, -1) : (await admin.xrange('app-logs', '-', '+')).map(([, fields]) => fields[1]!)
        return texts.map((t) => JSON.parse(t) as Record<string, unknown>)
      }
      const output = outputFor(redis.url, dataType)

      // the library
      const shipper = createShipper({ output, batch: { flushMs: 5 } })
      for (const i of range(500)) shipper.write({ source: 'library', i })
      await shipper.close()

      // pino's transport (logship/pino in pino's worker thread)
      const transport = pino.transport({ target: 'logship/pino', options: { output, batch: { flushMs: 5 } } })
      const logger = pino(transport)
      for (const i of range(500)) logger.info({ source: 'pino', i }, 'line %d', i)
      await flushed(logger)
      await ended(transport)

      // tail mode: logship run --once with a file input and the same output options in YAML
      const dir = tempDir(`redis-tail-${dataType}`)
      writeFileSync(
        join(dir, 'app.log'),
        range(500)
          .map((i) => `tail line id=${i}\n`)
          .join(''),
      )
      const cfg = writeConfig(
        dir,
        `inputs:\n  - type: file\n    paths: ['${dir}/*.log']\noutput:\n  type: redis\n  url: ${output.url}\n  key: ${output.key}\n  dataType: ${dataType}\nregistry: { path: ${dir}/registry.json }\n`,
      )
      const run = await runCli(['run', '--once', '-c', cfg], { cwd: dir })
      expect(run.code, run.stderr).toBe(0)
      expect(run.stdout).toMatch(/shipped 500 events .* to redis output/)

      const events = await stored()
      expect(events.filter((e) => e.source === 'library').map((e) => e.i)).toEqual(range(500))
      const fromPino = events.filter((e) => e.source === 'pino')
      expect(fromPino.map((e) => e.i)).toEqual(range(500))
      expect(fromPino[7]).toMatchObject({ level: 30, msg: 'line 7', pid: process.pid })
      const fromTail = events.filter((e) => typeof e.message === 'string' && (e.message as string).startsWith('tail line'))
      expect(fromTail.map((e) => e.message)).toEqual(range(500).map((i) => `tail line id=${i}`))
      expect(fromTail[3]).toMatchObject({ log: { offset: expect.any(Number), file: { path: join(dir, 'app.log') } }, input: { type: 'file' } })
      expect(events).toHaveLength(1500)

      // a second run ships nothing again: the registry moved only after Redis acknowledged
      const again = await runCli(['run', '--once', '-c', cfg], { cwd: dir })
      expect(again.code, again.stderr).toBe(0)
      expect(again.stdout).toMatch(/nothing new to ship/)
      expect(await stored()).toHaveLength(1500)
    })
  }

  it('logship test output reports the version and key type, and --write stores a test event', async () => {
    const redis = await startRedisServer(tempDir('redis-test-output'))
    const dir = tempDir('redis-test-output-cfg')
    const cfg = writeConfig(dir, `inputs:\n  - type: stdin\noutput:\n  type: redis\n  url: redis://:not-needed-${redis.port}@127.0.0.1:${redis.port}\n  key: probe\n`)
    // a password the server does not need: redis-server refuses AUTH but takes commands; the probe says so
    const withPassword = await runCli(['test', 'output', '-c', cfg], { cwd: dir })
    expect(withPassword.stdout + withPassword.stderr).not.toContain(`not-needed-${redis.port}`)
    expect(withPassword.code, withPassword.stdout + withPassword.stderr).toBe(0)
    expect(withPassword.stdout).toMatch(/the server has no password, so the configured one is not used \(remove it\)/)
    expect(withPassword.stderr).not.toMatch(/WARN/)
    const shown = await runCli(['test', 'config', '-c', cfg], { cwd: dir })
    expect(shown.code, shown.stderr).toBe(0)
    expect(shown.stdout).toContain(`url: redis://:***@127.0.0.1:${redis.port}`)
    expect(shown.stdout + shown.stderr).not.toContain(`not-needed-${redis.port}`)
    const plain = writeConfig(dir, `inputs:\n  - type: stdin\noutput:\n  type: redis\n  url: ${redis.url}\n  key: probe\n`, 'plain.yml')
    const r = await runCli(['test', 'output', '--write', '-c', plain], { cwd: dir })
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toMatch(/is Redis \d+\.\d+\.\d+, no credentials needed, the key "probe" does not exist yet/)
    expect(r.stdout).toMatch(/stored the test event/)
    expect(await redis.admin().llen('probe')).toBe(1)
  })
})
