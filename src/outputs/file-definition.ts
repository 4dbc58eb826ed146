import { fileOutputSchema } from './file-options.js'
import { defineOutput } from './definition.js'

/** `output: { type: 'file' }`: NDJSON lines appended to a file. */
export const fileOutput = defineOutput(fileOutputSchema, {
  type: 'file',
  name: (options) => `file(${options.path})`,
  load: async () => (await import('./file.js')).createFileOutput,
  storesDeadLetters: false,
})
