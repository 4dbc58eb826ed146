import { describe, expect } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { parseRedisUrl } from '../../src/outputs/redis/address.js'
import { redisAddress } from '../../src/outputs/redis/index.js'
import { redisOutputSchema } from '../../src/outputs/redis/options.js'
import { explainConnection, explainReply } from '../../src/outputs/redis/problems.js'
import { CommandBuilder } from '../../src/outputs/redis/commands.js'

// a marker that no message text contains by chance, then anything (URL-encoded where it goes into a URL)
const secret = fc.string({ maxLength: 24 }).map((s) => `Zq9${s}`)
const user = fc.stringMatching(/^[a-z][a-z0-9_-]{0,11}$/)

describe('redis output: URLs, names and messages', () => {
  test.prop([user, secret, fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 0, max: 15 }), fc.boolean()])(
    'parses user, password, port, db and TLS from the URL; the label never holds the credentials',
    (name, password, port, db, tls) => {
      const url = `${tls ? 'rediss' : 'redis'}://${encodeURIComponent(name)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}`
      const parsed = parseRedisUrl(url)
      expect(parsed).toEqual({ host: '127.0.0.1', port, tls, db, username: name, password, label: `${tls ? 'rediss' : 'redis'}://127.0.0.1:${port}/${db}` })
      const options = redisOutputSchema.parse({ type: 'redis', url })
      const address = redisAddress(options)
      expect(address.label).not.toContain(encodeURIComponent(password))
      // every message about this server carries the label, never the password
      for (const reply of [
        'WRONGPASS invalid username-password pair',
        'NOAUTH Authentication required.',
        'NOPERM no permissions',
        'OOM command not allowed',
        'WRONGTYPE x',
        'ERR odd',
      ]) {
        expect(explainReply(reply, { where: address.label, key: 'logs', dataType: 'list', username: name }).message).not.toContain(password)
      }
      expect(explainConnection(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), address.label, 1000).message).not.toContain(password)
    },
  )

  test.prop([secret])('a bad URL is refused without quoting it', (password) => {
    const result = redisOutputSchema.safeParse({ type: 'redis', url: `redis://:${encodeURIComponent(password)}@127.0.0.1:6379/notadb` })
    expect(result.success).toBe(false)
    expect(JSON.stringify(result.error?.issues)).not.toContain(encodeURIComponent(password))
  })

  test('a lone name in the URL is a password for the default user; the options override the URL', () => {
    expect(parseRedisUrl('redis://tok3n@localhost')).toMatchObject({ host: 'localhost', port: 6379, db: 0, password: 'tok3n' })
    expect(parseRedisUrl('redis://localhost')).not.toHaveProperty('password')
    expect(parseRedisUrl('redis://[::1]:7000/2')).toMatchObject({ host: '::1', port: 7000, db: 2, label: 'redis://[::1]:7000/2' })
    const address = redisAddress(redisOutputSchema.parse({ type: 'redis', url: 'redis://a:b@h:1/1', username: 'u', password: 'p', db: 4, tls: {} }))
    expect(address).toMatchObject({ username: 'u', password: 'p', db: 4, tls: true, label: 'rediss://h:1/4' })
  })

  test.prop([fc.array(fc.integer({ min: 0, max: 47 }), { minLength: 1, maxLength: 200 })])(
    'list mode: one RPUSH per hourly key, every record once, in its order within the key',
    (hours) => {
      const options = redisOutputSchema.parse({ type: 'redis', key: 'logs-%{+yyyy.MM.dd.HH}' })
      const records = hours.map((h, i) => Buffer.from(JSON.stringify({ '@timestamp': new Date(Date.UTC(2026, 10, 24) + h * 3_600_000).toISOString(), i })))
      const commands = new CommandBuilder(options).build(records, 0)
      expect(commands.every((c) => c.args[0] === 'rpush' && c.args[1] === c.key)).toBe(true)
      expect(new Set(commands.map((c) => c.key)).size).toBe(commands.length)
      expect(commands.flatMap((c) => c.indexes).sort((a, b) => a - b)).toEqual(records.map((_, i) => i))
      for (const c of commands) {
        expect(c.indexes).toEqual([...c.indexes].sort((a, b) => a - b))
        expect(c.args.slice(2)).toEqual(c.indexes.map((i) => records[i]))
        for (const i of c.indexes)
          expect(c.key).toBe(`logs-${new Date(Date.UTC(2026, 10, 24) + hours[i]! * 3_600_000).toISOString().slice(0, 13).replace(/-/g, '.').replace('T', '.')}`)
      }
    },
  )

  test('NOPERM names the ACL rule to grant, with a key pattern for date keys', () => {
    const problem = explainReply('NOPERM this user has no permissions to access one of the keys used as arguments', {
      where: 'redis://h:6379/0',
      key: 'logs-2026.11.23',
      keyTemplate: 'logs-%{+yyyy.MM.dd}',
      dataType: 'stream',
      username: 'shipper',
    })
    expect(problem).toEqual({ fatal: true, message: expect.stringContaining('ACL SETUSER shipper +xadd +multi +exec ~logs-*') })
    expect(explainReply('OOM command not allowed', { where: 'w', key: 'k', dataType: 'list', username: undefined }).fatal).toBe(false)
    expect(explainReply('LOADING Redis is loading the dataset in memory', { where: 'w', key: 'k', dataType: 'list', username: undefined }).fatal).toBe(false)
    expect(explainReply("ERR unknown command 'XADD'", { where: 'w', key: 'k', dataType: 'stream', username: undefined })).toMatchObject({
      fatal: true,
      message: expect.stringContaining('streams need Redis 5'),
    })
  })

  test('stream mode: one XADD per record, with MAXLEN ~ unless maxLen is 0', () => {
    const records = [Buffer.from('{"a":1}'), Buffer.from('{"a":2}')]
    const trimmed = new CommandBuilder(redisOutputSchema.parse({ type: 'redis', key: 's', dataType: 'stream', stream: { maxLen: 10 } })).build(records)
    expect(trimmed.map((c) => c.args)).toEqual([
      ['xadd', 's', 'MAXLEN', '~', '10', '*', 'event', records[0]],
      ['xadd', 's', 'MAXLEN', '~', '10', '*', 'event', records[1]],
    ])
    const untrimmed = new CommandBuilder(redisOutputSchema.parse({ type: 'redis', key: 's', dataType: 'stream', stream: { maxLen: 0, field: 'doc' } })).build(records)
    expect(untrimmed[0]!.args).toEqual(['xadd', 's', '*', 'doc', records[0]])
  })
})
