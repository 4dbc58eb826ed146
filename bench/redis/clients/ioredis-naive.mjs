// The naive way: ioredis, one RPUSH per event. AWAIT=1 waits for each reply before the next
// event (a logger that wants to know each event was stored); otherwise every command is
// written at once and only the last reply is awaited (ioredis queues them all in memory).
import { Redis } from 'ioredis'
import { N, PORT, KEY, events, start, report } from '../common.mjs'

const awaitEach = process.env.AWAIT === '1'
const started = start()
const redis = new Redis({ port: PORT, host: '127.0.0.1' })
if (awaitEach) {
  for (let i = 0; i < N; i++) await redis.rpush(KEY, JSON.stringify(events[i % events.length]))
} else {
  let last
  for (let i = 0; i < N; i++) last = redis.rpush(KEY, JSON.stringify(events[i % events.length]))
  await last
}
report(started)
redis.disconnect()
