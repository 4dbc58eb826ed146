import type { Redis as RedisClient } from 'ioredis'
import type { RedisOutputOptions } from '../outputs/redis/options.js'
import { redisAddress, redisTls } from '../outputs/redis/index.js'
import { RedisLink, LinkError } from '../outputs/redis/link.js'
import { CommandBuilder } from '../outputs/redis/commands.js'
import { explainConnection, explainReply } from '../outputs/redis/problems.js'
import { describeError } from '../errors.js'
import { tlsWords } from './tls.js'
import type { HostCheck } from './types.js'

/**
 * Redis: connects (TLS, AUTH and SELECT as the output does), reads the server version and the
 * eviction policy (INFO), and checks that the key (as named for now) is missing or of the
 * right type (TYPE). Writing is left to `--write`: ACL permissions show only then.
 */
export async function probeRedis(options: RedisOutputOptions, timeoutMs: number): Promise<HostCheck[]> {
  let address: ReturnType<typeof redisAddress>
  try {
    address = redisAddress(options)
  } catch (err) {
    return [{ host: 'redis', ok: false, message: describeError(err) }]
  }
  const where = address.label
  let link: RedisLink
  try {
    link = new RedisLink({ address, tls: redisTls(options, address), timeoutMs })
  } catch (err) {
    return [{ host: where, ok: false, message: describeError(err) }]
  }
  try {
    const client = await link.client()
    // a server that wants a password lets a client connect and refuses its first command
    const refusal = await client.ping().then(
      () => undefined,
      (err: unknown) => describeError(err),
    )
    if (refusal && /^(NOAUTH|WRONGPASS)/.test(refusal)) {
      return [{ host: where, ok: false, message: explainReply(refusal, { where, key: '', dataType: options.dataType, username: address.username }).message }]
    }
    const facts: string[] = []
    const info = await readInfo(client)
    const version = info?.get('redis_version')
    facts.push(version ? `${where} is Redis ${version}` : `${where} answers (its version is unknown: the user may not run INFO)`)
    if (address.tls) facts.push(`over TLS (${tlsWords(options.tls)})`)
    facts.push(
      address.password === undefined
        ? 'no credentials needed'
        : link.passwordUnneeded
          ? 'the server has no password, so the configured one is not used (remove it)'
          : `credentials accepted${address.username ? ` (user "${address.username}")` : ''}`,
    )
    if (options.dataType === 'stream' && version && Number(version.split('.')[0]) < 5) {
      return [{ host: where, ok: false, message: `${facts.join(', ')}; streams need Redis 5 or later: upgrade, or use dataType: list` }]
    }
    const key = new CommandBuilder(options).keyFor(new Uint8Array(), Date.now())
    const type = await client.type(key).catch((err: unknown) => `? ${describeError(err)}`)
    if (type.startsWith('? ')) facts.push(`the type of "${key}" cannot be read (${type.slice(2)})`)
    else if (type === 'none') facts.push(`the key "${key}" does not exist yet (the first batch creates a ${options.dataType})`)
    else if (type === options.dataType) facts.push(`the key "${key}" is a ${type}`)
    else
      return [
        {
          host: where,
          ok: false,
          message: `${facts.join(', ')}; but ${explainReply('WRONGTYPE', { where, key, dataType: options.dataType, username: address.username, actualType: type }).message}`,
        },
      ]
    const policy = info?.get('maxmemory_policy')
    const maxmemory = Number(info?.get('maxmemory') ?? '0')
    if (maxmemory > 0 && policy && policy !== 'noeviction') {
      facts.push(
        `WARNING: maxmemory-policy is ${policy}, so a full Redis evicts keys, and with them events nobody has read; set maxmemory-policy noeviction (a full Redis then refuses writes and logship waits)`,
      )
    }
    return [{ host: where, ok: true, message: `${facts.join(', ')}; run with --write to store a test event` }]
  } catch (err) {
    return [{ host: where, ok: false, message: err instanceof LinkError ? err.problem.message : explainConnection(err, where, timeoutMs).message }]
  } finally {
    await link.close()
  }
}

/** INFO server + memory as name → value, or undefined when the user may not run INFO. */
async function readInfo(client: RedisClient): Promise<Map<string, string> | undefined> {
  try {
    const text = `${await client.info('server')}\n${await client.info('memory')}`
    return new Map(
      text
        .split(/\r?\n/)
        .filter((line) => line.includes(':'))
        .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]),
    )
  } catch {
    return undefined
  }
}
