import { parentPort, workerData } from 'node:worker_threads'
import { Engine, type EngineEvents } from '../engine/engine.js'
import type { AppMessage, WorkerMessage } from '../engine/events.js'
import { loadOutput } from '../outputs/registry.js'
import { AtomicsWakeup } from './wakeup.js'
import type { ResolvedOptions } from '../options/schema.js'
import type { SharedState } from '../shared/layout.js'
import { describeError } from '../errors.js'

/** The shipping worker: runs the engine and reports events to the app thread. */
const port = parentPort!
const { options, state } = workerData as { options: ResolvedOptions; state: SharedState }
const post = (message: WorkerMessage): void => port.postMessage(message)

const events: EngineEvents = {
  error: (info) => post({ type: 'error', ...info }),
  deadLetter: (info) => post({ type: 'dead-letter', ...info }),
  drop: (info) => post({ type: 'drop', ...info }),
}

// The output's implementation is imported here, on this thread, and only for the configured type.
const started: Promise<Engine> = loadOutput(options.output).then((output) => {
  const engine = new Engine(options, state, output, events, new AtomicsWakeup(state, Math.max(1, Math.min(500, options.batch.flushMs >> 1))))
  engine.start()
  post({ type: 'ready', outputName: engine.outputName })
  return engine
})
started.catch((err: unknown) => {
  post({ type: 'error', code: 'LOGSHIP_ERR_WORKER', message: `the output could not start: ${describeError(err)}` })
  // as before: the worker ends with the error, which the app thread reports as a failed worker
  setImmediate(() => {
    throw err
  })
})

// Messages that arrive while the output loads wait for the engine (they are answered in order).
port.on('message', (message: AppMessage) => {
  void started.then(
    (engine) => onMessage(engine, message),
    () => undefined,
  )
})

function onMessage(engine: Engine, message: AppMessage): void {
  if (message.type === 'health') {
    post({ type: 'health', id: message.id, hosts: engine.health() })
    return
  }
  engine
    .close(message.timeoutMs)
    .catch((err: unknown) => events.error({ code: 'LOGSHIP_ERR_WORKER', message: `closing: ${describeError(err)}` }))
    .finally(() => {
      post({ type: 'closed' })
      port.close()
    })
}
