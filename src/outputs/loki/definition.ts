import { lokiOutputSchema, pushUrl } from './options.js'
import { redactUrl } from '../http-options.js'
import { defineOutput } from '../definition.js'

/** `output: { type: 'loki' }`: Grafana Loki's push API. See docs/outputs/loki.md. */
export const lokiOutput = defineOutput(lokiOutputSchema, {
  type: 'loki',
  name: (options) => `loki(${redactUrl(pushUrl(options.url))})`,
  load: async () => (await import('./output.js')).createLokiOutput,
  storesDeadLetters: false,
})
