import { describe, it, expect } from 'vitest'
import { RefusalMemory, POISON_STRIKES } from '../../src/outputs/logstash/refusals.js'
import { HostTally } from '../../src/outputs/logstash/host-tally.js'

describe('Logstash refusal memory: when closes add up to poison', () => {
  it('a refusal counts as a new strike only after the same host acknowledged another window', () => {
    const memory = new RefusalMemory()
    const host = new HostTally('127.0.0.1:5044')
    host.acks = 5
    expect(memory.refused(['a'], host)).toBe(1)
    // refused again with nothing acknowledged in between: a host that closes on everything
    expect(memory.refused(['a'], host)).toBe(1)
    host.acks++
    expect(memory.refused(['a'], host)).toBe(POISON_STRIKES)
    // known poison stays known while the host works
    expect(memory.refused(['a', 'b'], host)).toBe(POISON_STRIKES)
  })

  it('a host that went down since the first refusal (a restart) starts the count again', () => {
    const memory = new RefusalMemory()
    const host = new HostTally('127.0.0.1:5044')
    memory.refused(['a'], host)
    host.downs++
    host.acks++
    expect(memory.refused(['a'], host)).toBe(1)
  })

  it('a refusal by another host starts the count again', () => {
    const memory = new RefusalMemory()
    const one = new HostTally('127.0.0.1:1')
    const two = new HostTally('127.0.0.1:2')
    memory.refused(['a'], one)
    one.acks++
    two.acks++
    expect(memory.refused(['a'], two)).toBe(1)
  })

  it('suspects (closed on twice among other windows) have no strike until refused alone; acknowledged events are forgotten', () => {
    const memory = new RefusalMemory()
    const host = new HostTally('127.0.0.1:5044')
    // one close among other windows: a server dropping connections whatever they carry
    expect(memory.closedOn(['a', 'b'])).toBe(false)
    expect(memory.refusedAt('a')).toBeUndefined()
    expect(memory.closedOn(['a', 'b'])).toBe(true)
    expect(memory.refusedAt('a')).toBeDefined()
    host.acks++
    expect(memory.refused(['a'], host)).toBe(1)
    memory.forget('b')
    expect(memory.refusedAt('b')).toBeUndefined()
  })

  it('groups sent again go oldest refusal first; a touched half comes after', () => {
    const memory = new RefusalMemory()
    const host = new HostTally('127.0.0.1:5044')
    memory.refused(['a', 'b'], host)
    memory.touch(['b'])
    expect(memory.refusedAt('a')!).toBeLessThan(memory.refusedAt('b')!)
  })
})
