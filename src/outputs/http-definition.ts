import { httpOutputSchema, redactUrl } from './http-options.js'
import { defineOutput } from './definition.js'

/** `output: { type: 'http' }`: NDJSON batches POSTed to a URL. */
export const httpOutput = defineOutput(httpOutputSchema, {
  type: 'http',
  name: (options) => `http(${redactUrl(new URL(options.url))})`,
  load: async () => (await import('./http.js')).createHttpOutput,
  storesDeadLetters: false,
})
