// Top self-time functions of a .cpuprofile (node --cpu-prof) of the main thread: node bench/profiles/summarize.mjs file [top]
import fs from 'node:fs'

const [file, top = '25'] = process.argv.slice(2)
const prof = JSON.parse(fs.readFileSync(file, 'utf8'))
const byId = new Map(prof.nodes.map((n) => [n.id, n]))
const self = new Map()
const dt = prof.timeDeltas
let total = 0
for (let i = 0; i < prof.samples.length; i++) {
  const n = byId.get(prof.samples[i])
  const f = n.callFrame
  const key = `${f.functionName || '(anonymous)'} ${f.url ? `${f.url.replace(/^.*\/(dist|bench|node_modules)\//, '$1/')}:${f.lineNumber + 1}` : ''}`.trim()
  self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0))
  total += dt[i] ?? 0
}
console.log('| self ms | % | function |\n|---:|---:|---|')
for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) console.log(`| ${(us / 1000).toFixed(0)} | ${((100 * us) / total).toFixed(1)} | \`${k}\` |`)
