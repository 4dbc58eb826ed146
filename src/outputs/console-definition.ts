import { consoleOutputSchema } from './console-options.js'
import { defineOutput } from './definition.js'

/** `output: { type: 'console' }`: NDJSON lines on stdout or stderr. */
export const consoleOutput = defineOutput(consoleOutputSchema, {
  type: 'console',
  name: (options) => `console(${options.stream})`,
  load: async () => (await import('./console.js')).createConsoleOutput,
  storesDeadLetters: false,
})
