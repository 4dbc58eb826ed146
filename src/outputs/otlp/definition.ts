import { logsUrl, otlpOutputSchema } from './options.js'
import { redactUrl } from '../http-options.js'
import { defineOutput } from '../definition.js'

/** `output: { type: 'otlp' }`: OpenTelemetry logs over OTLP/HTTP. See docs/outputs/otlp.md. */
export const otlpOutput = defineOutput(otlpOutputSchema, {
  type: 'otlp',
  name: (options) => `otlp(${redactUrl(logsUrl(options.endpoint))})`,
  load: async () => (await import('./output.js')).createOtlpOutput,
  storesDeadLetters: false,
})
