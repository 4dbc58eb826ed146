import { parentPort, workerData } from 'node:worker_threads'
import { Engine, type EngineEvents } from '../engine/engine.js'
import type { AppMessage, WorkerMessage } from '../engine/events.js'
import { loadOutput, preloadOutput } from '../outputs/registry.js'
import { AtomicsWakeup } from './wakeup.js'
import type { ResolvedOptions } from '../options/schema.js'
import type { SharedState } from '../shared/layout.js'
import { describeError } from '../errors.js'

/** The shipping worker: runs the engine and reports events to the app thread. */
const port = parentPort!
const post = (message: WorkerMessage): void => port.postMessage(message)

const events: EngineEvents = {
  error: (info) => post({ type: 'error', ...info }),
  deadLetter: (info) => post({ type: 'dead-letter', ...info }),
  drop: (info) => post({ type: 'drop', ...info }),
}

// The app thread named the output type before checking its options: load it meanwhile.
const { outputType } = workerData as { outputType: string | undefined }
if (outputType !== undefined) preloadOutput(outputType)

/** The output's implementation is imported here, on this thread, and only for the configured type. */
function start(options: ResolvedOptions, state: SharedState): Promise<Engine> {
  const started = loadOutput(options.output).then((output) => {
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
  return started
}

// `init` comes first (WorkerLink posts it before anything else); messages that arrive while the
// output loads wait for the engine (they are answered in order).
let started: Promise<Engine> | undefined
port.on('message', (message: AppMessage) => {
  if (message.type === 'init') {
    started = start(message.options, message.state)
    return
  }
  void started?.then(
    (engine) => onMessage(engine, message),
    () => undefined,
  )
})

function onMessage(engine: Engine, message: Exclude<AppMessage, { type: 'init' }>): void {
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
