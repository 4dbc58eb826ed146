import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { onTestFinished } from 'vitest'
import { announcedPort } from './ports.js'
import { startSink as startInProcess } from './ndjson-sink.mjs'

export interface SinkMode {
  stall?: boolean
  /** With stall: the sink releases by itself after this long (only meaningful for startSinkProcess). */
  stallMs?: number
  failStatus?: number
  /** How many requests get failStatus; -1 = all. */
  failNext?: number
  resetNext?: number
  retryAfter?: number
  /** With failStatus: the Location header of those answers (a redirect). */
  location?: string
  /** Refuse a whole body with 400 (storing nothing) when any event in it has this field. */
  poisonField?: string
}

export interface SinkEvent extends Record<string, unknown> {}

/** The test-facing face of an NDJSON sink, wherever it runs. */
export interface Sink {
  readonly url: string
  readonly port: number
  events(): Promise<SinkEvent[]>
  /** Requests received (stored, failed or stalled). */
  requests(): Promise<number>
  stalledRequests(): Promise<number>
  setMode(mode: SinkMode): Promise<void>
  close(): Promise<void>
}

/** A sink in this process (fine unless the test blocks its own thread). Closed after the test. */
export async function startSink(port = 0): Promise<Sink> {
  const s = await startInProcess({ port })
  const sink: Sink = {
    url: s.url,
    port: s.port,
    events: async () => s.state.events.filter((e: SinkEvent) => !isLossMarker(e)),
    requests: async () => s.state.requests,
    stalledRequests: async () => s.state.stalled.length,
    setMode: async (mode) => s.setMode(mode),
    close: () => s.close(),
  }
  onTestFinished(() => sink.close())
  return sink
}

/** Every event, loss markers included. */
export async function allEvents(sink: Sink): Promise<SinkEvent[]> {
  const res = await fetch(`http://127.0.0.1:${sink.port}/_sink/events`)
  return ((await res.json()) as { events: SinkEvent[] }).events
}

export function isLossMarker(e: SinkEvent): boolean {
  return typeof e.logship === 'object' && e.logship !== null && (e.event as { kind?: string } | undefined)?.kind === 'metric'
}

/** A sink in a child process, controlled over HTTP: keeps answering while the test thread blocks. */
export async function startSinkProcess(): Promise<Sink> {
  const script = fileURLToPath(new URL('./ndjson-sink.mjs', import.meta.url))
  const child: ChildProcess = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await announcedPort(child, 'the sink process')
  const base = `http://127.0.0.1:${port}`
  const state = async (): Promise<{ events: SinkEvent[]; requests: number; stalled: number }> => (await fetch(`${base}/_sink/events`)).json() as never
  const sink: Sink = {
    url: `${base}/ingest`,
    port,
    events: async () => (await state()).events.filter((e) => !isLossMarker(e)),
    requests: async () => (await state()).requests,
    stalledRequests: async () => (await state()).stalled,
    setMode: async (mode) => {
      await fetch(`${base}/_sink/mode`, { method: 'POST', body: JSON.stringify(mode) })
    },
    close: async () => {
      child.kill('SIGKILL')
    },
  }
  onTestFinished(() => sink.close())
  return sink
}
