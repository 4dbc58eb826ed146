import { lokiOutputSchema } from './options.js'
import { defineOutput } from '../definition.js'

/** `output: { type: 'loki' }`: Grafana Loki's push API. See docs/outputs/loki.md. */
export const lokiOutput = defineOutput(lokiOutputSchema, {
  load: async () => (await import('./output.js')).createLokiOutput,
  probe: async () => (await import('../../output-check/loki-probe.js')).probeLoki,
  storesDeadLetters: false,
})
