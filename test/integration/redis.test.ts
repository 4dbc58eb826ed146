import { describe, it, expect } from 'vitest'
import { createShipper, OptionError } from 'logship'
import { missingSoftware } from '../helpers/system-software.js'
import { startRedisServer } from '../helpers/redis.js'
import { tempDir } from '../helpers/cli.js'
import { expectLedgerBalanced } from '../helpers/ledger.js'
import { waitFor } from '../helpers/wait.js'
import { testOutput } from '../../src/output-check/index.js'
import { makeTestCerts } from '../helpers/certs.js'

const skip = missingSoftware('redis output (real redis-server)', ['redis-server', 'openssl'])
const range = (n: number) => Array.from({ length: n }, (_, i) => i)
const texts = ['plain ascii', 'Grüße aus Köln', '日本語のログ', 'emoji 🚀🔥 👩‍💻']

describe.skipIf(skip)('redis output against a real redis-server', () => {
  it('list mode: RPUSHes every record byte for byte, in order, where a Logstash redis input (data_type => list) reads it', async () => {
    const redis = await startRedisServer(tempDir('redis-list'))
    const shipper = createShipper({ output: { type: 'redis', url: redis.url, key: 'logs' }, batch: { maxEvents: 100, flushMs: 5 }, thread: 'main', handleExit: false })
    const records = range(1000).map((i) => JSON.stringify({ id: i, message: texts[i % texts.length], '@timestamp': '2026-11-24T10:00:00.000Z' }))
    for (const r of records) expect(shipper.writeRecord(Buffer.from(r))).toBe(true)
    await shipper.flush()
    const stored = await redis.admin().lrange('logs', 0, -1)
    expect(stored).toEqual(records)
    const s = shipper.stats()
    expect(s).toMatchObject({ acked: 1000, failed: 0, dropped: 0 })
    expectLedgerBalanced(s)
    expect((await shipper.health())[0]).toMatchObject({ host: `${redis.url}/0`, up: true, failures: 0 })
    await shipper.close()
  })

  it('stream mode: one XADD per event with MAXLEN ~, the event in the configured field, from the worker thread', async () => {
    const redis = await startRedisServer(tempDir('redis-stream'))
    const shipper = createShipper({
      output: { type: 'redis', url: redis.url, key: 'events', dataType: 'stream', stream: { maxLen: 100_000, field: 'doc' } },
      batch: { flushMs: 5 },
    })
    for (const i of range(3000)) shipper.write({ id: i, message: texts[i % texts.length] })
    await shipper.flush()
    const admin = redis.admin()
    const entries = await admin.xrange('events', '-', '+')
    expect(entries).toHaveLength(3000)
    expect(entries.every(([, fields]) => fields.length === 2 && fields[0] === 'doc')).toBe(true)
    const ids = entries.map(([, fields]) => (JSON.parse(fields[1]!) as { id: number }).id)
    expect(ids).toEqual(range(3000))
    expect(JSON.parse(entries[3]![1][1]!)).toMatchObject({ id: 3, message: texts[3] })
    expect(shipper.stats()).toMatchObject({ acked: 3000, failed: 0 })
    await shipper.close()
  })

  it('stream mode trims to about maxLen entries', async () => {
    const redis = await startRedisServer(tempDir('redis-trim'))
    const shipper = createShipper({
      output: { type: 'redis', url: redis.url, key: 's', dataType: 'stream', stream: { maxLen: 500 } },
      batch: { flushMs: 5 },
      thread: 'main',
      handleExit: false,
    })
    for (const i of range(5000)) shipper.write({ id: i })
    await shipper.flush()
    const length = await redis.admin().xlen('s')
    // MAXLEN ~ trims whole macro nodes (100 entries each by default): at least 500, well below 5000
    expect(length).toBeGreaterThanOrEqual(500)
    expect(length).toBeLessThan(1000)
    await shipper.close()
  })

  it('stream mode pipelines its XADDs: a user allowed only XADD (no MULTI/EXEC) stores every event once, in order', async () => {
    const redis = await startRedisServer(tempDir('redis-xadd-only'), { requirepass: 'admin-pass', users: ['adder on >adder-pass-1 ~events* +xadd'] })
    const shipper = createShipper({
      output: { type: 'redis', url: `redis://adder:adder-pass-1@127.0.0.1:${redis.port}`, key: 'events', dataType: 'stream', stream: { maxLen: 0 } },
      batch: { maxEvents: 100, flushMs: 5 },
      thread: 'main',
      handleExit: false,
    })
    const errors: string[] = []
    shipper.on('error', (err) => errors.push(err.message))
    for (const i of range(1000)) shipper.write({ id: i })
    await shipper.flush()
    const entries = await redis.admin().xrange('events', '-', '+')
    expect(entries.map(([, fields]) => (JSON.parse(fields[1]!) as { id: number }).id)).toEqual(range(1000))
    expect(errors).toEqual([])
    const s = shipper.stats()
    expect(s).toMatchObject({ acked: 1000, failed: 0, dropped: 0 })
    expectLedgerBalanced(s)
    await shipper.close()
  })

  it('fills date placeholders in the key from each event @timestamp (UTC), one RPUSH per key in one transaction', async () => {
    const redis = await startRedisServer(tempDir('redis-date'))
    const shipper = createShipper({ output: { type: 'redis', url: redis.url, key: 'logs-%{+yyyy.MM.dd}' }, batch: { flushMs: 50 }, thread: 'main', handleExit: false })
    shipper.write({ '@timestamp': '2026-11-23T23:59:59.000Z', n: 1 })
    shipper.write({ '@timestamp': '2026-11-24T00:00:00.000Z', n: 2 })
    shipper.write({ '@timestamp': '2026-11-23T10:00:00.000Z', n: 3 })
    await shipper.flush()
    const admin = redis.admin()
    expect((await admin.lrange('logs-2026.11.23', 0, -1)).map((r) => JSON.parse(r).n)).toEqual([1, 3])
    expect((await admin.lrange('logs-2026.11.24', 0, -1)).map((r) => JSON.parse(r).n)).toEqual([2])
    await shipper.close()
  })

  it('authenticates as an ACL user from the URL or from the options, and never shows the password', async () => {
    const redis = await startRedisServer(tempDir('redis-acl'), {
      requirepass: 'admin-pass',
      users: ['shipper on >s3cret-pw ~logs* +rpush +xadd +multi +exec +type +info +ping'],
    })
    const fromUrl = createShipper({
      output: { type: 'redis', url: `redis://shipper:s3cret-pw@127.0.0.1:${redis.port}`, key: 'logs' },
      batch: { flushMs: 5 },
      thread: 'main',
      handleExit: false,
    })
    const fromOptions = createShipper({
      output: { type: 'redis', url: redis.url, username: 'shipper', password: 's3cret-pw', key: 'logs-b' },
      batch: { flushMs: 5 },
      thread: 'main',
      handleExit: false,
    })
    expect(fromUrl.outputName).toBe(`redis(redis://127.0.0.1:${redis.port}/0)`)
    fromUrl.write({ n: 1 })
    fromOptions.write({ n: 2 })
    await Promise.all([fromUrl.flush(), fromOptions.flush()])
    const admin = redis.admin()
    expect(await admin.llen('logs')).toBe(1)
    expect(await admin.llen('logs-b')).toBe(1)
    await Promise.all([fromUrl.close(), fromOptions.close()])

    const check = await testOutput({
      type: 'redis',
      url: `redis://shipper:s3cret-pw@127.0.0.1:${redis.port}`,
      key: 'logs',
      dataType: 'list',
      stream: { maxLen: 0, field: 'event' },
      maxInFlight: 1,
      timeoutMs: 5000,
    })
    expect(check.ok).toBe(true)
    expect(check.hosts[0]!.message).toMatch(/is Redis \d+\.\d+\.\d+, credentials accepted \(user "shipper"\), the key "logs" is a list/)
    expect(JSON.stringify(check)).not.toContain('s3cret-pw')

    const withoutCredentials = await testOutput({
      type: 'redis',
      url: redis.url,
      key: 'logs',
      dataType: 'list',
      stream: { maxLen: 0, field: 'event' },
      maxInFlight: 1,
      timeoutMs: 5000,
    })
    expect(withoutCredentials.ok).toBe(false)
    expect(withoutCredentials.hosts[0]!.message).toMatch(/requires authentication \(NOAUTH .*\); give the password in output\.password/)
  })

  it('a wrong password is a fatal error that says what to check, with the password masked everywhere', async () => {
    const redis = await startRedisServer(tempDir('redis-wrongpass'), { users: ['shipper on >right-pw ~* +@all'] })
    const shipper = createShipper({
      output: { type: 'redis', url: `redis://shipper:wrong-pw@127.0.0.1:${redis.port}`, key: 'logs' },
      batch: { flushMs: 5 },
      retry: { initialDelayMs: 10, maxDelayMs: 50 },
      thread: 'main',
      handleExit: false,
      closeTimeoutMs: 0,
    })
    const errors: { code: string; message: string }[] = []
    shipper.on('error', (e) => errors.push(e as never))
    shipper.write({ n: 1 })
    await waitFor(() => errors.length > 0, 'an error event')
    expect(errors[0]!.code).toBe('LOGSHIP_ERR_OUTPUT_FATAL')
    expect(errors[0]!.message).toMatch(/rejected the password of the user "shipper" \(WRONGPASS .*\); check output\.username and output\.password/)
    const health = (await shipper.health())[0]
    expect(health).toMatchObject({ up: false })
    expect(JSON.stringify([errors, health, shipper.stats()])).not.toContain('wrong-pw')
    // nothing is lost: the event waits for someone to fix the password
    expect(shipper.stats()).toMatchObject({ acked: 0, failed: 0, dropped: 0 })
    const check = await testOutput({
      type: 'redis',
      url: `redis://shipper:wrong-pw@127.0.0.1:${redis.port}`,
      key: 'logs',
      dataType: 'list',
      stream: { maxLen: 0, field: 'event' },
      maxInFlight: 1,
      timeoutMs: 5000,
    })
    expect(check.ok).toBe(false)
    expect(check.hosts[0]!.message).toMatch(/WRONGPASS/)
    expect(JSON.stringify(check)).not.toContain('wrong-pw')
    await shipper.close()
  })

  it('a user without the permission gets NOPERM, with the ACL rule to grant', async () => {
    const redis = await startRedisServer(tempDir('redis-noperm'), { users: ['reader on >pw-reader ~* +get +multi +exec'] })
    const shipper = createShipper({
      output: { type: 'redis', url: redis.url, username: 'reader', password: 'pw-reader', key: 'logs' },
      batch: { flushMs: 5 },
      retry: { initialDelayMs: 10, maxDelayMs: 50 },
      thread: 'main',
      handleExit: false,
      closeTimeoutMs: 0,
    })
    const errors: Error[] = []
    shipper.on('error', (e) => errors.push(e))
    shipper.write({ n: 1 })
    await waitFor(() => errors.length > 0, 'an error event')
    expect(errors[0]!.message).toMatch(/the user "reader" lacks a permission \(NOPERM .*\); it needs rpush .* ACL SETUSER reader \+rpush \+multi \+exec ~logs/)
    await shipper.close()
  })

  it('WRONGTYPE: a key of another type is a fatal error naming the type; once the key is freed, the waiting events are delivered', async () => {
    const redis = await startRedisServer(tempDir('redis-wrongtype'))
    const admin = redis.admin()
    await admin.set('logs', 'a string someone left here')
    const shipper = createShipper({
      output: { type: 'redis', url: redis.url, key: 'logs' },
      batch: { flushMs: 5 },
      retry: { initialDelayMs: 10, maxDelayMs: 100 },
      thread: 'main',
      handleExit: false,
    })
    const errors: Error[] = []
    shipper.on('error', (e) => errors.push(e))
    for (const i of range(10)) shipper.write({ id: i })
    await waitFor(() => errors.length > 0, 'an error event')
    expect(errors[0]!.message).toMatch(/the key "logs" on redis:\/\/127\.0\.0\.1:\d+\/0 holds a string, not a list \(WRONGTYPE .*\); delete it \(DEL logs\)/)
    const check = await testOutput({ type: 'redis', url: redis.url, key: 'logs', dataType: 'list', stream: { maxLen: 0, field: 'event' }, maxInFlight: 1, timeoutMs: 5000 })
    expect(check.ok).toBe(false)
    expect(check.hosts[0]!.message).toMatch(/holds a string, not a list/)
    await admin.del('logs')
    await shipper.flush()
    expect((await admin.lrange('logs', 0, -1)).map((r) => JSON.parse(r).id)).toEqual(range(10))
    expect(shipper.stats()).toMatchObject({ acked: 10, failed: 0, dropped: 0 })
    await shipper.close()
  })

  it('WRONGTYPE on one of two date keys: the other key takes its events, the refused ones wait and go once the key is freed', async () => {
    const redis = await startRedisServer(tempDir('redis-wrongtype-partial'))
    const admin = redis.admin()
    await admin.hset('logs-2026.11.23', 'someone', 'else')
    const shipper = createShipper({
      output: { type: 'redis', url: redis.url, key: 'logs-%{+yyyy.MM.dd}' },
      batch: { flushMs: 20 },
      retry: { initialDelayMs: 10, maxDelayMs: 100 },
      thread: 'main',
      handleExit: false,
    })
    const errors: string[] = []
    shipper.on('error', (e) => errors.push(e.message))
    for (const i of range(20)) shipper.write({ '@timestamp': `2026-11-2${3 + (i % 2)}T08:00:00.000Z`, id: i })
    await waitFor(async () => (await admin.llen('logs-2026.11.24')) === 10, 'the good key to take its events')
    // the refused events go again on their own, are refused again: that is the fatal error
    await waitFor(() => errors.some((m) => /the key "logs-2026\.11\.23" .* holds a hash, not a list/.test(m)), 'the WRONGTYPE error')
    await admin.del('logs-2026.11.23')
    await shipper.flush()
    expect((await admin.lrange('logs-2026.11.23', 0, -1)).map((r) => JSON.parse(r).id)).toEqual(range(10).map((i) => 2 * i))
    expect((await admin.lrange('logs-2026.11.24', 0, -1)).map((r) => JSON.parse(r).id)).toEqual(range(10).map((i) => 2 * i + 1))
    expect(shipper.stats()).toMatchObject({ acked: 20, failed: 0, dropped: 0 })
    await shipper.close()
  })

  it('writes to the database of the URL path or of the db option', async () => {
    const redis = await startRedisServer(tempDir('redis-db'))
    const fromPath = createShipper({ output: { type: 'redis', url: `${redis.url}/3`, key: 'logs' }, batch: { flushMs: 5 }, thread: 'main', handleExit: false })
    const fromOption = createShipper({ output: { type: 'redis', url: `${redis.url}/3`, db: 5, key: 'logs' }, batch: { flushMs: 5 }, thread: 'main', handleExit: false })
    fromPath.write({ n: 1 })
    fromOption.write({ n: 2 })
    await Promise.all([fromPath.close(), fromOption.close()])
    const admin = redis.admin()
    expect(await admin.llen('logs')).toBe(0)
    await admin.select(3)
    expect((await admin.lrange('logs', 0, -1)).map((r) => JSON.parse(r).n)).toEqual([1])
    await admin.select(5)
    expect((await admin.lrange('logs', 0, -1)).map((r) => JSON.parse(r).n)).toEqual([2])
  })

  it('rediss:// connects with TLS and verifies the certificate against tls.ca; an untrusted one is a fatal error', async () => {
    const certs = makeTestCerts()
    const redis = await startRedisServer(tempDir('redis-tls'), { tls: { cert: certs.serverCert, key: certs.serverKey, ca: certs.ca } })
    expect(redis.url).toMatch(/^rediss:/)
    const shipper = createShipper({ output: { type: 'redis', url: redis.url, key: 'logs', tls: { ca: certs.ca } }, batch: { flushMs: 5 }, thread: 'main', handleExit: false })
    shipper.write({ over: 'tls' })
    await shipper.close()
    expect(await redis.admin().lrange('logs', 0, -1)).toEqual([expect.stringContaining('"over":"tls"')])

    const untrusted = createShipper({
      output: { type: 'redis', url: redis.url, key: 'logs', tls: { ca: certs.otherCa } },
      batch: { flushMs: 5 },
      retry: { initialDelayMs: 10, maxDelayMs: 50 },
      thread: 'main',
      handleExit: false,
      closeTimeoutMs: 0,
    })
    const errors: { code: string; message: string }[] = []
    untrusted.on('error', (e) => errors.push(e as never))
    untrusted.write({ n: 1 })
    await waitFor(() => errors.length > 0, 'an error event')
    expect(errors[0]).toMatchObject({
      code: 'LOGSHIP_ERR_OUTPUT_FATAL',
      message: expect.stringMatching(/TLS: the certificate of rediss:\/\/127\.0\.0\.1:\d+\/0 is not trusted .*set output\.tls\.ca/),
    })
    await untrusted.close()
  })

  it('refuses bad options with the key and what is allowed, never quoting a URL that may hold a password', () => {
    const bad = (output: Record<string, unknown>) => () => createShipper({ output: { type: 'redis', ...output } as never, handleExit: false })
    expect(bad({ url: 'http://127.0.0.1:6379' })).toThrow(/output\.url: .*expected the scheme redis:\/\/ or rediss:\/\//)
    expect(bad({ url: 'redis://:topsecret@127.0.0.1:6379/x' })).toThrow(/output\.url: .*database number/)
    expect(bad({ url: 'redis://:topsecret@127.0.0.1:6379/x' })).not.toThrow(/topsecret/)
    expect(bad({ dataType: 'set' })).toThrow(/output\.dataType: .*expected 'list' or 'stream'/)
    expect(bad({ key: 'logs-%{host}' })).toThrow(/output\.key: .*only date placeholders/)
    expect(bad({ stream: { maxLen: -1 } })).toThrow(/output\.stream\.maxLen: .*expected 0 \(no trimming\) or more/)
    expect(bad({ hosts: ['x'] })).toThrow(OptionError)
  })
})
