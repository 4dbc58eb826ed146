import { elasticsearchOutputSchema } from './options.js'
import { defineOutput } from '../definition.js'
import { resolveEndpoints } from './endpoints.js'

/** `output: { type: 'elasticsearch' }`: the bulk API, with partial failures and dead-letter indices. See docs/outputs/elasticsearch.md. */
export const elasticsearchOutput = defineOutput(elasticsearchOutputSchema, {
  type: 'elasticsearch',
  name: (options) =>
    `elasticsearch(${resolveEndpoints(options)
      .map((e) => e.label)
      .join(', ')})`,
  load: async () => (await import('./output.js')).createElasticsearchOutput,
  storesDeadLetters: true,
})
