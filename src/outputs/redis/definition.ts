import { redisOutputSchema } from './options.js'
import { defineOutput } from '../definition.js'
import { redisAddress } from './address.js'

/** `output: { type: 'redis' }`: lists, channels or streams on Redis. See docs/outputs/redis.md. */
export const redisOutput = defineOutput(redisOutputSchema, {
  name: (options) => `redis(${redisAddress(options).label})`,
  load: async () => (await import('./index.js')).createRedisOutput,
  probe: async () => (await import('../../output-check/redis-probe.js')).probeRedis,
  storesDeadLetters: false,
})
