// Ships the bundled sample log (pino JSON lines mixed with plain text) through logship into
// a local NDJSON file, then shows what it shipped. Run with: npm run demo
import { createReadStream, readFileSync, rmSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { createShipper } from 'logship'

const input = fileURLToPath(new URL('./sample/app.log', import.meta.url))
const output = 'demo-output.ndjson'
rmSync(output, { force: true })

const shipper = createShipper({
  output: { type: 'file', path: output },
  fields: { service: { name: 'demo-app' } },
})
shipper.on('error', (err) => console.error(err.message))

for await (const line of createInterface({ input: createReadStream(input) })) {
  if (line) shipper.write(line) // JSON lines are taken as is; other text becomes {"message": ...}
}
await shipper.close()

const shipped = readFileSync(output, 'utf8').trim().split('\n')
const s = shipper.stats()
console.log(`logship shipped ${s.acked} of ${s.received} events from ${input} into ./${output} (dropped ${s.dropped}, failed ${s.failed})\n`)
console.log('first events shipped:')
for (const line of shipped.slice(0, 3)) console.log(`  ${line}`)
console.log(`  ... and a plain-text line: ${shipped.find((l) => l.includes('"message"'))}`)
