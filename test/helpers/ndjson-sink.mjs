// An NDJSON-over-HTTP sink for tests: stores every event it accepts, in arrival order, and
// can be told to misbehave. Plain JavaScript so it runs the same in-process (import
// `startSink`) and as a child process (`node ndjson-sink.mjs` prints `PORT <n>`), which
// tests need when the test's own thread is blocked by whenFull: 'block'.
//
// Control (HTTP, JSON bodies):
//   GET  /_sink/events           -> { events: [...], requests, failures }
//   POST /_sink/mode             -> set { stall, failStatus, failNext, resetNext, retryAfter }
//     stall: true       hold every reply until stall is set back to false (events NOT stored until released,
//                       and not at all when the client gave up meanwhile)
//     stallMs: n        with stall: release by itself after n ms
//     failStatus: 503   answer this status to the next `failNext` requests (or all when failNext is -1)
//     location: url     with failStatus: the Location header of those answers (redirects)
//     resetNext: n      destroy the socket of the next n requests before replying
//     poisonField: 'x'  refuse a whole body with 400 (storing nothing) when any event in it has field x
import http from 'node:http'
import zlib from 'node:zlib'

export function startSink({ port = 0 } = {}) {
  const state = { events: [], requests: 0, failures: 0, stalled: [] }
  const mode = { stall: false, failStatus: 0, failNext: 0, resetNext: 0, retryAfter: undefined }

  const accept = (body) => {
    const events = []
    for (const line of body.toString('utf8').split('\n')) {
      if (line.length === 0) continue
      events.push(JSON.parse(line))
    }
    // like a real server that cannot parse one document: the whole request is refused
    if (mode.poisonField && events.some((e) => e[mode.poisonField] !== undefined)) throw new Error(`an event has field ${mode.poisonField}`)
    state.events.push(...events)
  }

  /**
   * Replies to the held requests, after a turn of the event loop: a client that gave up while
   * this thread was busy (an in-process sink in a test that writes in a long loop) has its
   * socket seen closed first, so nothing is stored for it. Resolves once they are answered.
   */
  const releaseStalled = () =>
    new Promise((resolve) => {
      const held = state.stalled.splice(0)
      setImmediate(() =>
        setImmediate(() => {
          for (const release of held) release()
          resolve()
        }),
      )
    })

  const reply = (req, res, body) => {
    if (mode.resetNext > 0) {
      mode.resetNext--
      state.failures++
      req.socket.destroy()
      return
    }
    if (mode.failStatus && mode.failNext !== 0) {
      if (mode.failNext > 0) mode.failNext--
      state.failures++
      const headers = {
        ...(mode.retryAfter === undefined ? {} : { 'retry-after': String(mode.retryAfter) }),
        ...(mode.location === undefined ? {} : { location: mode.location }),
      }
      res.writeHead(mode.failStatus, headers).end(JSON.stringify({ error: `sink told to answer ${mode.failStatus}` }))
      return
    }
    try {
      accept(body)
    } catch (err) {
      res.writeHead(400).end(JSON.stringify({ error: `bad NDJSON: ${err.message}` }))
      return
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
  }

  const server = http.createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      let body = Buffer.concat(chunks)
      if (req.url === '/_sink/events') {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ events: state.events, requests: state.requests, failures: state.failures, stalled: state.stalled.length }))
        return
      }
      if (req.url === '/_sink/mode') {
        Object.assign(mode, JSON.parse(body.toString('utf8') || '{}'))
        // stallMs: stop stalling by itself after a while (the test thread may be blocked)
        if (mode.stall && mode.stallMs)
          setTimeout(() => {
            mode.stall = false
            releaseStalled()
          }, mode.stallMs)
        const released = mode.stall ? Promise.resolve() : releaseStalled()
        released.then(() => res.writeHead(200).end('{}'))
        return
      }
      state.requests++
      if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body)
      if (mode.stall) {
        // a client that gave up while held (its timeout) is gone: nothing is stored for it,
        // as a server that works on release would find (logship has sent it again meanwhile)
        state.stalled.push(() => {
          if (!req.socket.destroyed) reply(req, res, body)
        })
        return
      }
      reply(req, res, body)
    })
  })

  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      const sink = {
        port: server.address().port,
        url: `http://127.0.0.1:${server.address().port}/ingest`,
        state,
        mode,
        setMode(next) {
          Object.assign(mode, next)
          return mode.stall ? Promise.resolve() : releaseStalled()
        },
        close() {
          for (const release of state.stalled.splice(0)) release()
          server.closeAllConnections()
          return new Promise((r) => server.close(() => r()))
        },
      }
      resolve(sink)
    })
  })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sink = await startSink({ port: Number(process.argv[2] ?? 0) })
  process.stdout.write(`PORT ${sink.port}\n`)
}
