import { describe, it, expect, onTestFinished } from 'vitest'
import { createShipper, type LogshipError } from 'logship'
import { startFakeElasticsearch } from '../helpers/fake-elasticsearch.js'
import { freePort } from '../helpers/ports.js'
import { waitFor } from '../helpers/wait.js'

// Every multi-host output raises an `error` event when one of its hosts goes down and when it
// comes back (the Logstash output's are in logstash-health.test.ts).
describe('elasticsearch output: host down and back up', () => {
  it('says when a node of two goes down and when it answers again', async () => {
    const live = await startFakeElasticsearch()
    onTestFinished(() => live.close())
    const deadPort = await freePort()
    const dead = `http://127.0.0.1:${deadPort}`
    const shipper = createShipper({
      output: { type: 'elasticsearch', hosts: [dead, live.urls[0]!], hostBackoffMs: 20 },
      batch: { maxEvents: 10, flushMs: 5 },
      retry: { initialDelayMs: 10, maxDelayMs: 100 },
      handleExit: false,
    })
    const errors: LogshipError[] = []
    shipper.on('error', (e) => errors.push(e))
    for (let i = 0; i < 50; i++) shipper.write({ i })
    await shipper.flush()
    await waitFor(() => errors.some((e) => e.message.includes(`host ${dead} is down`)), 'an error event for the dead node')
    expect(errors.find((e) => e.message.includes('is down'))!.message).toMatch(
      new RegExp(
        `^elasticsearch\\(.*\\): host http://127\\.0\\.0\\.1:${deadPort} is down \\(.*ECONNREFUSED.*\\); 1 of 2 hosts are down, the others take the load; it is retried with backoff$`,
      ),
    )
    expect((await shipper.health()).find((h) => h.host === dead)?.up).toBe(false)
    const revived = await startFakeElasticsearch({ ports: [deadPort] })
    onTestFinished(() => revived.close())
    // traffic finds it again once its backoff is over
    let round = 0
    await waitFor(async () => {
      shipper.write({ round: round++ })
      await shipper.flush()
      return errors.some((e) => /is up again/.test(e.message))
    }, 'an error event saying the node is back')
    expect(errors.find((e) => /is up again/.test(e.message))?.message).toMatch(`host ${dead} is up again; all 2 hosts are up`)
    expect((await shipper.health()).every((h) => h.up)).toBe(true)
    await shipper.close()
  })
})
