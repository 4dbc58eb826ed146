// Top allocation sites of a .heapprofile (node --heap-prof): node bench/profiles/summarize-heap.mjs file [top]
// The sampling heap profiler keeps the samples of objects still alive when the profile was written.
import fs from 'node:fs'

const [file, top = '20'] = process.argv.slice(2)
const prof = JSON.parse(fs.readFileSync(file, 'utf8'))
const self = new Map()
let total = 0
const walk = (node) => {
  const f = node.callFrame
  const key = `${f.functionName || '(anonymous)'} ${f.url ? `${f.url.replace(/^.*\/(dist|bench|node_modules)\//, '$1/')}:${f.lineNumber + 1}` : ''}`.trim()
  self.set(key, (self.get(key) ?? 0) + node.selfSize)
  total += node.selfSize
  for (const c of node.children) walk(c)
}
walk(prof.head)
console.log(`live sampled bytes: ${(total / 2 ** 20).toFixed(1)} MB\n\n| self MB | % | function |\n|---:|---:|---|`)
for (const [k, b] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) console.log(`| ${(b / 2 ** 20).toFixed(2)} | ${((100 * b) / total).toFixed(1)} | \`${k}\` |`)
