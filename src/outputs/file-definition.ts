import { fileOutputSchema } from './file-options.js'
import { defineOutput } from './definition.js'

/** `output: { type: 'file' }`: NDJSON lines appended to a file. */
export const fileOutput = defineOutput(fileOutputSchema, {
  name: (options) => `file(${options.path})`,
  load: async () => (await import('./file.js')).createFileOutput,
  storesDeadLetters: false,
})
