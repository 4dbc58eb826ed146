import { createShipper } from 'logship'
const s = createShipper({ output: { type: 'file', path: '/tmp/h1/flags-out.ndjson' }, handleExit: false })
for (let i = 0; i < 3; i++) s.write({ i, e: new Error('x') })
const f = s.flush()
await Promise.all([s.close(), s.close(), f, s.flush()])
console.log(JSON.stringify(s.stats()))
