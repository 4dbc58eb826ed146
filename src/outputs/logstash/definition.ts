import { logstashOutputSchema } from './options.js'
import { defineOutput } from '../definition.js'

/** `output: { type: 'logstash' }`: Lumberjack v2 to Logstash beats inputs. See docs/outputs/logstash.md. */
export const logstashOutput = defineOutput(logstashOutputSchema, {
  type: 'logstash',
  name: (options) => `logstash(${options.hosts.join(',')})`,
  load: async () => (await import('./index.js')).createLogstashOutput,
  storesDeadLetters: false,
})
