import { describe, expect, it } from 'vitest'
import { loadOutput, outputNameOf, outputOptionsSchema } from '../../src/outputs/registry.js'

// One valid configuration per output type (nothing is sent: the outputs are built and closed).
const configs = [
  { type: 'http', url: 'http://user:pw@127.0.0.1:9/ingest?token=x' },
  { type: 'console', stream: 'stderr' },
  { type: 'file', path: '/tmp/logship-output-definitions.ndjson' },
  { type: 'elasticsearch', hosts: ['http://127.0.0.1:9', 'http://127.0.0.1:10'] },
  { type: 'logstash', hosts: ['127.0.0.1:9'] },
  { type: 'redis', url: 'redis://u:secret@127.0.0.1:9/2', key: 'logs' },
  { type: 'otlp', endpoint: 'http://127.0.0.1:9' },
  { type: 'loki', url: 'http://127.0.0.1:9' },
]

describe('output definitions', () => {
  it('cover every output type the options accept', () => {
    const types = outputOptionsSchema.options.map((s) => s.shape.type.value).sort()
    expect(configs.map((c) => c.type).sort()).toEqual(types)
  })

  it.each(configs)('$type: the name known before loading is the loaded output’s name', async (config) => {
    const options = outputOptionsSchema.parse(config)
    const output = await loadOutput(options)
    try {
      expect(outputNameOf(options)).toBe(output.name)
      expect(output.name).not.toContain('secret')
    } finally {
      await output.close()
    }
  })
})
