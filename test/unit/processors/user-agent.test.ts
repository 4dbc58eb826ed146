import { describe, it, expect } from 'vitest'
import { run } from './helpers.js'

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1'
const WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'

describe('user_agent', () => {
  it('fills ECS user_agent.* next to user_agent.original (where the nginx module puts it)', () => {
    expect(run([{ user_agent: {} }], { user_agent: { original: IPHONE } })).toEqual({
      user_agent: { original: IPHONE, name: 'Safari', version: '17.1', os: { name: 'iOS', version: '17.1', full: 'iOS 17.1' }, device: { name: 'iPhone' } },
    })
    expect(run([{ user_agent: { field: 'ua', targetField: 'client.ua' } }], { ua: WINDOWS })).toEqual({
      ua: WINDOWS,
      client: { ua: { original: WINDOWS, name: 'Chrome', version: '120.0.0.0', os: { name: 'Windows', version: '10', full: 'Windows 10' }, device: { name: 'Other' } } },
    })
  })
  it('names tools by their product token, bots as Spider; the same string parsed twice gives equal, separate objects', () => {
    expect(run([{ user_agent: { field: 'ua' } }], { ua: 'curl/8.4.0' })).toMatchObject({ user_agent: { name: 'curl', version: '8.4.0', device: { name: 'Other' } } })
    expect(run([{ user_agent: { field: 'ua' } }], { ua: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' })).toMatchObject({
      user_agent: { name: 'Googlebot', device: { name: 'Spider' } },
    })
    const a = run([{ user_agent: { field: 'ua' } }], { ua: IPHONE }) as Record<string, any>
    const b = run([{ user_agent: { field: 'ua' } }], { ua: IPHONE }) as Record<string, any>
    expect(a).toEqual(b)
  })
  it('a missing field fails unless ignoreMissing', () => {
    expect((run([{ user_agent: {} }], {}) as Record<string, any>).tags).toEqual(['_logship_processor_failure'])
    expect(run([{ user_agent: { ignoreMissing: true } }], {})).toEqual({})
  })
})
