import { redisOutputSchema } from './options.js'
import { defineOutput } from '../definition.js'
import { redisAddress } from './output-address.js'

/** `output: { type: 'redis' }`: lists, channels or streams on Redis. See docs/outputs/redis.md. */
export const redisOutput = defineOutput(redisOutputSchema, {
  type: 'redis',
  name: (options) => `redis(${redisAddress(options).label})`,
  load: async () => (await import('./index.js')).createRedisOutput,
  storesDeadLetters: false,
})
