import { describe, it, expect } from 'vitest'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { existsSync, mkdirSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli, startCli, tempDir, writeConfig } from '../helpers/cli.js'
import { waitFor } from '../helpers/wait.js'
import { createShipper, OptionError } from '../../src/index.js'

/**
 * Secrets planted in every shape the review found leaking; every channel logship writes to
 * is searched for each of them (and for the base64 of the URL credentials).
 */
const PASSWORD_WITH_AT = 'P@SS-AT-1@WORD'
const SECRETS = [
  'SS-AT-1',
  'QUERY-APIKEY-1',
  'QUERY-SESSION-1',
  'QUERY-PWD-1',
  'HEADER-TOKEN-1',
  'TOKEN-USERNAME-ONLY',
  Buffer.from(`user:${PASSWORD_WITH_AT}`).toString('base64').slice(0, 16),
  Buffer.from('Bearer HEADER-TOKEN-1').toString('base64').slice(0, 12),
]
const QUERY = '?api_key=QUERY-APIKEY-1&session_key=QUERY-SESSION-1&pwd=QUERY-PWD-1'

function leaks(channel: string, text: string): string[] {
  return SECRETS.filter((s) => text.includes(s)).map((s) => `${channel} contains ${s}`)
}

/** A sink that echoes the credentials it receives back in its replies (as misconfigured proxies do). */
async function echoingSink(): Promise<{ port: number; server: Server; setMode(m: 503 | 400): void; requests: () => number }> {
  let mode: 503 | 400 = 503
  let requests = 0
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      requests++
      const auth = req.headers.authorization ?? ''
      if (mode === 503) res.writeHead(503, { 'content-type': 'text/plain' }).end(`overloaded; you sent authorization=${auth} to ${req.url}\r\nAuthorization: ${auth}`)
      else
        res
          .writeHead(400, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'rejected', echo: { authorization: auth, url: req.url, basic: `Basic ${Buffer.from(`user:${PASSWORD_WITH_AT}`).toString('base64')}` } }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { port: (server.address() as AddressInfo).port, server, setMode: (m) => (mode = m), requests: () => requests }
}

describe('planted secrets reach no output channel', () => {
  it('run, test config, test output, invalid configs and pipe: stdout, stderr, /stats, /healthz, /metrics, dead letters, registry', async () => {
    const sink = await echoingSink()
    const dir = tempDir('sec-secrets')
    const found: string[] = []
    try {
      mkdirSync(join(dir, 'logs'))
      mkdirSync(join(dir, 'dead'), { mode: 0o700 })
      writeFileSync(join(dir, 'logs', 'app.log'), 'hello 1\nhello 2\n')
      const url = `http://user:${PASSWORD_WITH_AT}@127.0.0.1:${sink.port}/ingest${QUERY}`
      const cfg = writeConfig(
        dir,
        [
          `inputs: [{ type: file, paths: ['${dir}/logs/*.log'] }]`,
          `output: { type: http, url: '${url}', headers: { authorization: 'Bearer HEADER-TOKEN-1' } }`,
          `deadLetter: { path: ${dir}/dead/dead.ndjson }`,
          `registry: { path: ${dir}/state/registry.json }`,
          'retry: { initialDelayMs: 20, maxDelayMs: 50 }',
          'http: { port: 0, stallMs: 60000 }',
          'statsIntervalMs: 50',
        ].join('\n'),
      )

      const shown = await runCli(['test', 'config', '-c', cfg])
      expect(shown.code, shown.stderr).toBe(0)
      found.push(...leaks('test config stdout', shown.stdout), ...leaks('test config stderr', shown.stderr))

      const run = startCli(['run', '-c', cfg], { cwd: dir })
      await run.ready
      const base = await waitFor(() => /stats on (http:\/\/[^/\s]+)\/metrics/.exec(run.stderr())?.[1], 'the stats endpoint')
      const healthWhileFailing = await waitFor(async () => {
        const res = await fetch(`${base}/healthz`)
        return res.status === 503 ? res.text() : undefined
      }, '/healthz to report the failing output')
      expect(healthWhileFailing, run.stderr()).toMatch(/HTTP 503/)
      found.push(...leaks('/healthz', healthWhileFailing!))
      sink.setMode(400)
      appendFileSync(join(dir, 'logs', 'app.log'), 'hello 3\n')
      await waitFor(() => existsSync(join(dir, 'dead', 'dead.ndjson')) && readFileSync(join(dir, 'dead', 'dead.ndjson'), 'utf8').split('\n').length > 3, 'dead letters')
      for (const path of ['/stats', '/metrics', '/healthz']) found.push(...leaks(path, await (await fetch(`${base}${path}`)).text()))
      found.push(...leaks('SIGUSR2 stats', JSON.stringify(await run.stats())))
      await run.signal('SIGTERM')
      await run.exited
      found.push(...leaks('run stderr', run.stderr()))
      const dead = readFileSync(join(dir, 'dead', 'dead.ndjson'), 'utf8')
      expect(dead).toMatch(/HTTP 400/)
      found.push(...leaks('dead letters', dead))
      found.push(...leaks('registry', readFileSync(join(dir, 'state', 'registry.json'), 'utf8')))

      // test output against a username-only token URL, and with the echoing server
      const probeCfg = writeConfig(dir, `inputs: [{ type: stdin }]\noutput: { type: http, url: 'http://TOKEN-USERNAME-ONLY@127.0.0.1:${sink.port}/ingest${QUERY}' }\n`, 'probe.yml')
      const probe = await runCli(['test', 'output', '-c', probeCfg, '--write'])
      expect(probe.stdout + probe.stderr).toMatch(/400/)
      found.push(...leaks('test output stdout', probe.stdout), ...leaks('test output stderr', probe.stderr))

      // invalid configs and options: the bad value is echoed redacted
      for (const bad of [
        `output: { type: elasticsearch, hosts: ['ftp://user:${PASSWORD_WITH_AT}@127.0.0.1:9200/${QUERY}'] }`,
        `output: { type: http, url: 'gopher://TOKEN-USERNAME-ONLY@127.0.0.1/x${QUERY}' }`,
        `output: { type: elasticsearch, hosts: 'http://TOKEN-USERNAME-ONLY@127.0.0.1:9200${QUERY}' }`,
      ]) {
        const r = await runCli(['test', 'config', '-c', writeConfig(dir, `inputs: [{ type: stdin }]\n${bad}\n`, 'bad.yml')])
        expect(r.code).toBe(2)
        expect(r.stderr).toMatch(/invalid config/)
        found.push(...leaks(`invalid config stderr (${bad.slice(0, 40)})`, r.stderr + r.stdout))
      }

      // pipe: credentials from the environment and a file work, and are not printed
      writeFileSync(join(dir, 'auth'), 'Bearer HEADER-TOKEN-1\n', { mode: 0o600 })
      const piped = await runCli(['pipe', '--output-authorization-file', join(dir, 'auth')], {
        input: 'piped line\n',
        env: { LOGSHIP_OUTPUT_URL: `http://user:${PASSWORD_WITH_AT}@127.0.0.1:${sink.port}/ingest${QUERY}` },
      })
      expect(piped.stderr).toMatch(/HTTP 400/)
      found.push(...leaks('pipe stdout', piped.stdout), ...leaks('pipe stderr', piped.stderr))
      const argv = await runCli(['pipe', '--output-url', `http://user:${PASSWORD_WITH_AT}@127.0.0.1:${sink.port}/ingest${QUERY}`], { input: 'x\n' })
      expect(argv.stderr).toMatch(/--output-url holds credentials .* LOGSHIP_OUTPUT_URL/)
      found.push(...leaks('pipe (argv url) stderr', argv.stderr))
    } finally {
      sink.server.closeAllConnections()
      sink.server.close()
    }
    expect(found).toEqual([])
  })

  it('library: error, dead-letter and warning events, OptionError, stats and the stats endpoint', async () => {
    const sink = await echoingSink()
    const found: string[] = []
    try {
      const url = `http://user:${PASSWORD_WITH_AT}@127.0.0.1:${sink.port}/ingest${QUERY}`
      const events: string[] = []
      const shipper = createShipper({
        output: { type: 'http', url, headers: { authorization: 'Bearer HEADER-TOKEN-1' }, tls: { rejectUnauthorized: false } },
        thread: 'main',
        handleExit: false,
        retry: { initialDelayMs: 1, maxDelayMs: 5, maxRetries: 2 },
        http: { port: 0 },
      })
      shipper.on('error', (e) => events.push(`error: ${e.message}`))
      shipper.on('dead-letter', (d) => events.push(`dead-letter: ${d.reason} ${d.events.join(' ')}`))
      shipper.on('warning', (w) => events.push(`warning: ${w}`))
      shipper.write({ message: 'first' })
      await waitFor(() => events.some((e) => e.startsWith('error:')), 'an error event')
      const base = (await shipper.httpUrl())!
      for (const path of ['/stats', '/metrics', '/healthz']) found.push(...leaks(`library ${path}`, await (await fetch(`${base}${path}`)).text()))
      sink.setMode(400)
      shipper.write({ message: 'second' })
      await shipper.flush()
      await shipper.close()
      expect(events.join('\n')).toMatch(/dead-letter: HTTP 400/)
      found.push(...leaks('library events', events.join('\n')), ...leaks('library stats()', JSON.stringify(shipper.stats())))
      for (const bad of [
        { type: 'http', url: `ftp://user:${PASSWORD_WITH_AT}@h/${QUERY}` },
        { type: 'elasticsearch', hosts: [`http://TOKEN-USERNAME-ONLY@h:9200${QUERY}`], timeoutMs: -1 },
      ]) {
        const error = (() => {
          try {
            createShipper({ output: bad as never, handleExit: false })
          } catch (err) {
            return err as Error
          }
          return undefined
        })()
        expect(error).toBeInstanceOf(OptionError)
        found.push(...leaks('OptionError', `${error?.message} ${JSON.stringify((error as OptionError).problems)}`))
      }
    } finally {
      sink.server.closeAllConnections()
      sink.server.close()
    }
    expect(found).toEqual([])
  })
})
