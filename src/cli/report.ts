import type { TailRunner, TailSummary } from '../tail/runner.js'
import type { Config } from '../config/index.js'

/** What becomes of lines read but not acknowledged when logship stops: a file is read again from its read pointer; stdin cannot be. */
export function fateOfUnacknowledged(config: Config): string {
  const stdin = config.inputs.some((i) => i.type === 'stdin')
  const files = config.inputs.some((i) => i.type === 'file')
  if (!stdin) return 'they are read again at the next start'
  return files ? 'lines from files are read again at the next start; lines from stdin are lost' : 'lines from stdin cannot be read again: they are lost'
}

/** One paragraph on stdout after --once or pipe: what was shipped, where, and what was not. */
export function printSummary(runner: TailRunner, summary: TailSummary, startedAt: number, out: NodeJS.WritableStream = process.stdout): void {
  const { stats, unacknowledged } = summary
  const s = stats.shipper
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(2)
  const files = stats.files.length
  const mb = (stats.counters.bytesRead / 1024 / 1024).toFixed(1)
  const lines = [
    `logship: shipped ${s.acked} events (${mb} MB read${files > 0 ? ` from ${files} file${files === 1 ? '' : 's'}` : ''}) to ${runner.config.output.type} output in ${seconds} s`,
    `  files: ${files}, lines: ${stats.counters.events}, bytes: ${stats.counters.bytesRead}, seconds: ${seconds}, acked: ${s.acked}, failed: ${s.failed}`,
  ]
  if (stats.counters.filtered > 0) lines.push(`  left out by includeLines/excludeLines: ${stats.counters.filtered}`)
  if (s.failed > 0) lines.push(`  refused by the output (dead-lettered): ${s.failed}`)
  if (unacknowledged > 0) lines.push(`  not acknowledged in time: ${unacknowledged} (${fateOfUnacknowledged(runner.config)})`)
  if (stats.registryWrites > 0 || files > 0) lines.push(`  read pointers: ${runner.config.registry.path}`)
  const output = runner.config.output as { type: string; path?: string }
  if (output.type === 'file' && output.path) lines.push(`  output file: ${output.path}`)
  if (s.acked === 0 && files > 0 && stats.counters.events === 0) lines.push('  nothing new to ship: every line was shipped before (delete the registry file to ship again)')
  else if (stats.firstDocument !== undefined && s.acked > 0) lines.push(`  first event shipped:\n${indent(pretty(stats.firstDocument))}`)
  out.write(`${lines.join('\n')}\n`)
}

function pretty(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2)
  } catch {
    return json
  }
}

function indent(text: string): string {
  const lines = text.split('\n')
  const shown = lines.length > 60 ? [...lines.slice(0, 60), '...'] : lines
  return shown.map((l) => `    ${l.length > 200 ? `${l.slice(0, 200)}...` : l}`).join('\n')
}
