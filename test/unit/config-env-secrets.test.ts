import { describe, it, expect } from 'vitest'
import { parseConfigText } from '../../src/config/index.js'

/**
 * An unquoted `${NAME}` that is the whole value takes the type of what it expands to
 * (`scanIntervalMs: ${SCAN_MS}` is a number). A password or token that happens to look like a
 * number or a boolean (`007`, `1e3`, `0x1A`, `true`) became one: the config was refused with
 * "output.auth: got (hidden); expected { username, password }, ..." (nothing saying why), or a
 * header went out as `7` instead of `007`. Secrets and header values stay the text they are.
 */
const config = (text: string, env: Record<string, string>) => parseConfigText(text, 'logship.yml', { env })

describe('${ENV} references in secrets', () => {
  it.each(['007', '1e3', '0x1A', 'true', 'null', '12345678901234567890'])('password %s stays that text', (secret) => {
    const c = config(
      `inputs: [{ type: stdin }]
output:
  type: elasticsearch
  hosts: ['http://127.0.0.1:9200']
  auth:
    username: elastic
    password: \${PASS}
`,
      { PASS: secret },
    )
    expect((c.output as { auth: { password: string } }).auth.password).toBe(secret)
  })

  it('a header value stays text; other whole references still take their type', () => {
    const c = config(
      `inputs:
  - type: file
    paths: [/var/log/a.log]
    scanIntervalMs: \${SCAN_MS}
output:
  type: http
  url: http://127.0.0.1:8080/ingest
  headers:
    x-api-version: \${API_VERSION}
`,
      { SCAN_MS: '250', API_VERSION: '2.10' },
    )
    expect((c.output as { headers: Record<string, string> }).headers['x-api-version']).toBe('2.10')
    expect((c.inputs[0] as { scanIntervalMs: number }).scanIntervalMs).toBe(250)
  })
})
