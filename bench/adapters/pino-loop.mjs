// Profile target (issue 19): 1.2M pino calls into pinoDestination, whenFull: block, file output.
//   node --cpu-prof --cpu-prof-dir=DIR bench/adapters/pino-loop.mjs
import fs, { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { pinoDestination } from 'logship/pino'
import { FIELDS } from './common.mjs'
const out = join(mkdtempSync(join(tmpdir(), 'logship-pino-prof-')), 'out.ndjson')
const d = pinoDestination({ output: { type: 'file', path: out }, queue: { maxBytes: '32mb', whenFull: 'block', maxBlockMs: 60_000 }, handleExit: false })
const log = pino(d)
for (let r = 0; r < 6; r++) {
  for (let i = 0; i < 200000; i++) log.info(FIELDS[i % 10000], 'request completed')
  await d.shipper.flush()
  fs.truncateSync(out, 0)
}
await d.end()
fs.rmSync(out)
