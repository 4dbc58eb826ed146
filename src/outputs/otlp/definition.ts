import { otlpOutputSchema } from './options.js'
import { defineOutput } from '../definition.js'

/** `output: { type: 'otlp' }`: OpenTelemetry logs over OTLP/HTTP. See docs/outputs/otlp.md. */
export const otlpOutput = defineOutput(otlpOutputSchema, {
  load: async () => (await import('./output.js')).createOtlpOutput,
  probe: async () => (await import('../../output-check/otlp-probe.js')).probeOtlp,
  storesDeadLetters: false,
})
