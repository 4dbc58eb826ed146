import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { onTestFinished } from 'vitest'
import { startFakeLogstash as startInProcess } from './fake-logstash-server.mjs'
import { announcedPort } from './ports.js'

/** What the fake Logstash misbehaves with; see fake-logstash-server.mjs. */
export interface FakeLogstashMode {
  ackDelayMs?: number
  ackInParts?: number
  keepAliveMs?: number
  stopAcking?: boolean
  closeMidWindow?: { afterEvents: number; ackFirst?: number; times?: number }
  /** Drop every Nth window: ACK N-1 windows per connection, close on the Nth without ACKing it. */
  closeAfterWindows?: number
  refuse?: boolean
  /** Close the connection, without acknowledging, on a window with an event whose JSON text contains this (go-lumber on a decode error). */
  closeOnEventContaining?: string
  /** Crash after every `afterWindows` windows: cut every connection, refuse connections for `downMs`, listen again. */
  restartEvery?: { afterWindows: number; downMs: number } | undefined
}

export interface FakeLogstashOptions {
  mode?: FakeLogstashMode
  tls?: { key: string; cert: string; ca?: string; requireClientCert?: boolean }
}

export interface ReceivedEvent {
  readonly event: Record<string, unknown>
  /** The exact JSON text of the data frame. */
  readonly raw: string
}

export interface FakeLogstashState {
  events: ReceivedEvent[]
  connections: number
  openConnections: number
  /** Size of every window frame, in arrival order. */
  windows: number[]
  compressedFrames: number
  jsonFrames: number
  protocolErrors: string[]
  acksSent: number
  /** Most events received and not yet acknowledged at any moment. */
  maxOutstanding: number
  closedMidWindow: number
  /** Windows dropped by closeAfterWindows. */
  droppedWindows: number
  /** Events received but not acknowledged when a connection closed: the most duplicates a correct client causes. */
  receivedUnacked: number
  tlsErrors: string[]
  /** Connections closed by closeOnEventContaining. */
  poisonCloses: number
  /** Restarts done by restartEvery. */
  restarts: number
}

export interface FakeLogstash {
  readonly port: number
  /** `127.0.0.1:port`, for `hosts`. */
  readonly address: string
  state(): Promise<FakeLogstashState>
  setMode(mode: FakeLogstashMode): Promise<void>
  /** Cuts every connection and stops listening, like a node that died. */
  kill(): Promise<void>
  close(): Promise<void>
}

/** A fake Logstash in this process (fine unless the test blocks its own thread). Closed after the test. */
export async function startFakeLogstash(options: FakeLogstashOptions = {}): Promise<FakeLogstash> {
  const s = await startInProcess(options)
  const fake: FakeLogstash = {
    port: s.port,
    address: s.address,
    state: async () => s.state,
    setMode: (mode) => s.setMode(mode),
    kill: () => s.kill(),
    close: () => s.close(),
  }
  onTestFinished(() => fake.close())
  return fake
}

/** A fake Logstash in a child process: it keeps acknowledging while the test thread is blocked. */
export async function startFakeLogstashProcess(options: FakeLogstashOptions = {}): Promise<FakeLogstash> {
  const script = fileURLToPath(new URL('./fake-logstash-server.mjs', import.meta.url))
  const child: ChildProcess = fork(script, [JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] })
  const port = await announcedPort(child, 'the fake Logstash process')
  let nextId = 0
  const ask = <T>(message: Record<string, unknown>): Promise<T> =>
    new Promise((resolve) => {
      const id = nextId++
      const onMessage = (reply: { id: number } & T): void => {
        if (reply.id !== id) return
        child.off('message', onMessage)
        resolve(reply)
      }
      child.on('message', onMessage)
      child.send({ ...message, id })
    })
  const fake: FakeLogstash = {
    port,
    address: `127.0.0.1:${port}`,
    state: async () => (await ask<{ state: FakeLogstashState }>({ cmd: 'state' })).state,
    setMode: async (mode) => {
      await ask({ cmd: 'mode', mode })
    },
    kill: async () => {
      await ask({ cmd: 'kill' })
    },
    close: async () => {
      child.kill('SIGKILL')
    },
  }
  onTestFinished(() => fake.close())
  return fake
}

/** Loss markers are logship's own events; tests about delivery look at the others. */
export function userEvents(state: FakeLogstashState): Record<string, unknown>[] {
  return state.events.map((e) => e.event).filter((e) => !(typeof e.logship === 'object' && e.logship !== null))
}

/** The distinct `id`s received, sorted. */
export function distinctIds(state: FakeLogstashState): number[] {
  return [...new Set(userEvents(state).map((e) => e.id as number))].sort((a, b) => a - b)
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i)
}
