// Self time of a .cpuprofile grouped by where the code lives (logship's dist, a package in
// node_modules, node's internals, GC, idle): node bench/profiles/summarize-groups.mjs file
import fs from 'node:fs'

const prof = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))
const byId = new Map(prof.nodes.map((n) => [n.id, n]))
const groups = new Map()
let total = 0
for (let i = 0; i < prof.samples.length; i++) {
  const f = byId.get(prof.samples[i]).callFrame
  const url = f.url ?? ''
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1]
  const group = pkg
    ? pkg
    : url.includes('/dist/')
      ? 'logship (dist)'
      : url.startsWith('node:')
        ? 'node internals'
        : f.functionName.startsWith('(')
          ? f.functionName
          : url
            ? 'other script'
            : `native: ${f.functionName}`
  groups.set(group, (groups.get(group) ?? 0) + (prof.timeDeltas[i] ?? 0))
  total += prof.timeDeltas[i] ?? 0
}
console.log('| self ms | % | where |\n|---:|---:|---|')
for (const [g, us] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`| ${(us / 1000).toFixed(0)} | ${((100 * us) / total).toFixed(1)} | ${g} |`)
