import { parentPort, workerData } from 'node:worker_threads'
import { Engine, type EngineEvents } from '../engine/engine.js'
import { createOutput } from '../outputs/registry.js'
import { AtomicsWakeup } from './wakeup.js'
import type { ResolvedOptions } from '../options/schema.js'
import type { SharedState } from '../shared/layout.js'
import { describeError } from '../errors.js'

/** The shipping worker: runs the engine and reports events to the app thread. */
const port = parentPort!
const { options, state } = workerData as { options: ResolvedOptions; state: SharedState }

const events: EngineEvents = {
  error: (info) => port.postMessage({ type: 'error', ...info }),
  deadLetter: (info) => port.postMessage({ type: 'dead-letter', ...info }),
  drop: (info) => port.postMessage({ type: 'drop', ...info }),
}

let engine: Engine
try {
  engine = new Engine(options, state, createOutput(options.output), events, new AtomicsWakeup(state, Math.max(1, Math.min(500, options.batch.flushMs >> 1))))
  engine.start()
  port.postMessage({ type: 'ready', outputName: engine.outputName })
} catch (err) {
  port.postMessage({ type: 'error', code: 'LOGSHIP_ERR_WORKER', message: `the output could not start: ${describeError(err)}` })
  throw err
}

port.on('message', (message: { type: string; timeoutMs?: number; id?: number }) => {
  if (message.type === 'health') {
    port.postMessage({ type: 'health', id: message.id, hosts: engine.health() })
    return
  }
  if (message.type !== 'close') return
  engine
    .close(message.timeoutMs ?? 0)
    .catch((err: unknown) => events.error({ code: 'LOGSHIP_ERR_WORKER', message: `closing: ${describeError(err)}` }))
    .finally(() => {
      port.postMessage({ type: 'closed' })
      port.close()
    })
})
