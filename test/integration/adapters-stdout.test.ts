import { describe, it, expect } from 'vitest'
import { startSink } from '../helpers/sink.js'
import { runFixture } from '../helpers/child.js'

// Every case runs in a child process: wrapping the test runner's own stdout would capture vitest.

describe('wrapStdout', () => {
  it('ships lines split across chunks, multi-byte characters split across chunks, JSON lines as records and text with its stream name', async () => {
    const sink = await startSink()
    const result = await runFixture('child/stdout/split-writes.mjs', { url: sink.url })
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
    const result = await runFixture('child/stdout/restore.mjs', { url: sink.url, port: sink.port })
    expect(result.code, result.stderr).toBe(0)
    // tee: false: 'captured' never reached the real stdout
    expect(result.stdout.split('\n')[0]).toBe('after restore')
    expect(JSON.parse(result.stdout.split('\n')[1]!)).toEqual({ wrappedWhileOn: true, restored: true, shippedBeforeExit: 1, received: 1 })
    expect((await sink.events()).map((e) => e.message)).toEqual(['captured'])
    expect(result.stderr).toBe('stderr is not wrapped\n')
  })

  it("with parse: 'text' every line is a message, JSON or not", async () => {
    const sink = await startSink()
    const result = await runFixture('child/stdout/parse-text.mjs', { url: sink.url })
    expect(result.code, result.stderr).toBe(0)
    expect(await sink.events()).toEqual([{ message: '{"level":"info"}', log: { origin: { stream: 'stdout' } }, '@timestamp': expect.any(String) }])
  })

  it("does not loop: logship's own output to stdout and its error messages are never captured", async () => {
    const result = await runFixture('child/stdout/console-output.mjs')
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout.split('\n').filter(Boolean)).toEqual([
      'hello',
      expect.stringMatching(/^\{"@timestamp":"[^"]+","message":"hello","log":\{"origin":\{"stream":"stdout"\}\}\}$/),
    ])
    expect(JSON.parse(result.stderr)).toMatchObject({ received: 1, acked: 1 })

    const down = await runFixture('child/stdout/sink-down.mjs')
    expect(down.code).toBe(0)
    expect(down.stderr).toMatch(/logship\/stdout: .*request failed/)
    expect(down.stdout).toContain('RECEIVED 1\n') // the complaint on stderr was not shipped
  })

  it('loses nothing when a child process writes 10,000 lines and calls process.exit(0)', async () => {
    const sink = await startSink()
    const result = await runFixture('child/exit-after-writes.mjs', {
      adapter: 'stdout',
      options: { output: { type: 'http', url: sink.url }, closeTimeoutMs: 20000 },
      count: 10_001,
      ending: 'exit',
    })
    expect(result.code, result.stderr).toBe(0)
    expect((await sink.events()).map((e) => e.i)).toEqual(Array.from({ length: 10_001 }, (_, i) => i))
  })
})
