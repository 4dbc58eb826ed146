import { logsUrl, otlpOutputSchema } from './options.js'
import { redactUrl } from '../http-definition.js'
import { defineOutput } from '../definition.js'

/** `output: { type: 'otlp' }`: OpenTelemetry logs over OTLP/HTTP. See docs/outputs/otlp.md. */
export const otlpOutput = defineOutput(otlpOutputSchema, {
  name: (options) => `otlp(${redactUrl(logsUrl(options.endpoint))})`,
  load: async () => (await import('./output.js')).createOtlpOutput,
  probe: async () => (await import('../../output-check/otlp-probe.js')).probeOtlp,
  storesDeadLetters: false,
})
