import { describe, it, expect } from 'vitest'
import { startSink } from '../helpers/sink.js'
import { runScript } from '../helpers/child.js'

// Every case runs in a child process: wrapping the test runner's own stdout would capture vitest.

describe('wrapStdout', () => {
  it('ships lines split across chunks, multi-byte characters split across chunks, JSON lines as records and text with its stream name', async () => {
    const sink = await startSink()
    const result = await runScript(`
      import { wrapStdout } from 'logship/stdout'
      const restore = wrapStdout({ output: { type: 'http', url: ${JSON.stringify(sink.url)} }, batch: { flushMs: 10 } })
      process.stdout.write('{"a":')
      process.stdout.write('1}\\npart')
      process.stdout.write('ial line\\r\\n')
      const bytes = Buffer.from('café €uro 🎉\\n')
      const euro = bytes.indexOf(Buffer.from('€'))
      const party = bytes.indexOf(Buffer.from('🎉'))
      process.stdout.write(bytes.subarray(0, euro + 1))        // first byte of €
      process.stdout.write(bytes.subarray(euro + 1, party + 2)) // rest of €, half of 🎉
      process.stdout.write(bytes.subarray(party + 2))
      console.error('to stderr')
      console.log('{"json": true, "n": 2}')
      console.log('{not json}')
      console.log('')
      process.stdout.write('6c617374', 'hex')
      process.stdout.write(' line without newline')
      await restore()
    `)
    expect(result.code, result.stderr).toBe(0)
    expect(await sink.events()).toEqual([
      { a: 1, '@timestamp': expect.any(String) },
      { message: 'partial line', log: { origin: { stream: 'stdout' } }, '@timestamp': expect.any(String) },
      { message: 'café €uro 🎉', log: { origin: { stream: 'stdout' } }, '@timestamp': expect.any(String) },
      { message: 'to stderr', log: { origin: { stream: 'stderr' } }, '@timestamp': expect.any(String) },
      { json: true, n: 2, '@timestamp': expect.any(String) },
      { message: '{not json}', log: { origin: { stream: 'stdout' } }, '@timestamp': expect.any(String) },
      { message: 'last line without newline', log: { origin: { stream: 'stdout' } }, '@timestamp': expect.any(String) },
    ])
    // tee (the default): the app's output is still there, byte for byte
    expect(result.stdout).toBe('{"a":1}\npartial line\r\ncafé €uro 🎉\n{"json": true, "n": 2}\n{not json}\n\nlast line without newline')
    expect(result.stderr).toBe('to stderr\n')
  })

  it('restore() puts the original write back, ships nothing more, and flushes', async () => {
    const sink = await startSink()
    const result = await runScript(`
      import { wrapStdout } from 'logship/stdout'
      const original = process.stdout.write
      const restore = wrapStdout({ output: { type: 'http', url: ${JSON.stringify(sink.url)} }, streams: ['stdout'], tee: false })
      const wrappedWhileOn = process.stdout.write !== original
      console.log('captured')
      console.error('stderr is not wrapped')
      await restore()
      // restore() resolved: the event is at the sink already
      const res = await fetch('http://127.0.0.1:${sink.port}/_sink/events')
      const shippedBeforeExit = (await res.json()).events.length
      console.log('after restore')
      console.log(JSON.stringify({ wrappedWhileOn, restored: process.stdout.write === original, shippedBeforeExit, received: restore.shipper.stats().received }))
    `)
    expect(result.code, result.stderr).toBe(0)
    // tee: false: 'captured' never reached the real stdout
    expect(result.stdout.split('\n')[0]).toBe('after restore')
    expect(JSON.parse(result.stdout.split('\n')[1]!)).toEqual({ wrappedWhileOn: true, restored: true, shippedBeforeExit: 1, received: 1 })
    expect((await sink.events()).map((e) => e.message)).toEqual(['captured'])
    expect(result.stderr).toBe('stderr is not wrapped\n')
  })

  it("with parse: 'text' every line is a message, JSON or not", async () => {
    const sink = await startSink()
    const result = await runScript(`
      import { wrapStdout } from 'logship/stdout'
      const restore = wrapStdout({ output: { type: 'http', url: ${JSON.stringify(sink.url)} }, parse: 'text', tee: false })
      console.log('{"level":"info"}')
      await restore()
    `)
    expect(result.code, result.stderr).toBe(0)
    expect(await sink.events()).toEqual([{ message: '{"level":"info"}', log: { origin: { stream: 'stdout' } }, '@timestamp': expect.any(String) }])
  })

  it("does not loop: logship's own output to stdout and its error messages are never captured", async () => {
    const result = await runScript(`
      import { wrapStdout } from 'logship/stdout'
      // the console output writes NDJSON to stdout: captured lines must not come back in
      const restore = wrapStdout({ output: { type: 'console', stream: 'stdout' }, batch: { flushMs: 10 } })
      console.log('hello')
      await new Promise((r) => setTimeout(r, 100))
      await restore()
      process.stderr.write(JSON.stringify(restore.shipper.stats()) + '\\n')
    `)
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout.split('\n').filter(Boolean)).toEqual(['hello', expect.stringMatching(/^\{"@timestamp":"[^"]+","message":"hello","log":\{"origin":\{"stream":"stdout"\}\}\}$/)])
    expect(JSON.parse(result.stderr)).toMatchObject({ received: 1, acked: 1 })

    const down = await runScript(`
      import { wrapStdout } from 'logship/stdout'
      // nothing listens there: logship complains on stderr, which is wrapped
      const restore = wrapStdout({ output: { type: 'http', url: 'http://127.0.0.1:9/' }, retry: { initialDelayMs: 10, maxDelayMs: 20 }, closeTimeoutMs: 300, batch: { flushMs: 1 } })
      console.log('one line')
      await new Promise((r) => setTimeout(r, 300))
      const received = restore.shipper.stats().received
      await restore()
      process.stdout.write('RECEIVED ' + received + '\\n')
    `)
    expect(down.code).toBe(0)
    expect(down.stderr).toMatch(/logship\/stdout: .*request failed/)
    expect(down.stdout).toContain('RECEIVED 1\n') // the complaint on stderr was not shipped
  })

  it('loses nothing when a child process writes 10,000 lines and calls process.exit(0)', async () => {
    const sink = await startSink()
    const result = await runScript(`
      import { wrapStdout } from 'logship/stdout'
      wrapStdout({ output: { type: 'http', url: ${JSON.stringify(sink.url)} }, closeTimeoutMs: 20000, tee: false })
      for (let i = 0; i < 10000; i++) console.log(JSON.stringify({ i }))
      process.stdout.write('{"i":10000}') // no newline: shipped at exit all the same
      process.exit(0)
    `)
    expect(result.code, result.stderr).toBe(0)
    expect((await sink.events()).map((e) => e.i)).toEqual(Array.from({ length: 10_001 }, (_, i) => i))
  })
})
