import { describe, expect } from 'vitest'
import { test, fc } from '@fast-check/vitest'
import { appendFileSync, copyFileSync, existsSync, readFileSync, renameSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startCli, tempDir, writeConfig, readNdjson, countIds, type RunningCli, type ShippedLine } from '../helpers/cli.js'
import { startFakeElasticsearch, type FakeElasticsearch } from '../helpers/fake-elasticsearch.js'
import { waitFor } from '../helpers/wait.js'

/**
 * Model-based: random sequences of what rotation tools, admins and crashes do to log files,
 * applied to real files while `logship run` runs. The model is the set of line ids written.
 * Every line must be shipped at least once; exactly once when nothing crashed; and with the
 * idempotent Elasticsearch output, the index holds exactly one document per line even with
 * crashes (the `_id` comes from the file's content and the line's offset).
 */

type Op =
  | { kind: 'append'; lines: number }
  | { kind: 'rename' } // logrotate create: shift the copies, app.log -> app.log.1, a new empty app.log
  | { kind: 'copytruncate'; shift: boolean } // shift: the copies are renamed first (.1 -> .2, the delaycompress-style second rename)
  | { kind: 'truncate' }
  | { kind: 'delete' } // the oldest rotated copy
  | { kind: 'recreate' } // a rotated copy deleted and written again with the same bytes (a new inode)
  | { kind: 'restart' }
  | { kind: 'crash' }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('append' as const), lines: fc.integer({ min: 1, max: 60 }) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'rename' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('copytruncate' as const), shift: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'truncate' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'delete' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'recreate' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'crash' as const }) },
)

const PAD = 'p'.repeat(70)

class World {
  readonly dir: string
  readonly log: string
  written = 0
  copies = 0
  crashed = false
  logship: RunningCli | undefined

  constructor(
    readonly name: string,
    readonly outputYaml: (dir: string) => string,
    readonly shipped: () => Promise<Map<number, number>>,
    /** How often the registry is written: a crash re-reads what was shipped since. */
    readonly registryFlushMs = 50,
    /** What the sink saw of the missing lines (appended to a failure). */
    readonly explain: (missing: number[]) => string = () => '',
  ) {
    this.dir = tempDir(name)
    this.log = join(this.dir, 'app.log')
    writeFileSync(this.log, '')
  }

  get config(): string {
    return writeConfig(
      this.dir,
      `inputs:
  - type: file
    paths: ['${this.dir}/app.log*']
    scanIntervalMs: 50
${this.outputYaml(this.dir)}
batch: { flushMs: 20 }
retry: { initialDelayMs: 50, maxDelayMs: 200 }
registry: { path: ${this.dir}/registry.json, flushMs: ${this.registryFlushMs} }
statsIntervalMs: 0
`,
    )
  }

  async start(): Promise<void> {
    this.logship = startCli(['run', '-c', this.config])
    await Promise.race([this.logship.ready, this.logship.exited.then(() => Promise.reject(new Error(`logship exited at start:\n${this.logship!.stderr()}`)))])
  }

  copy(n: number): string {
    return `${this.log}.${n}`
  }

  /** Destructive operations lose what was not read yet, by nature: wait until every line so far is shipped. */
  async settle(): Promise<void> {
    try {
      await waitFor(async () => (await this.shipped()).size >= this.written, `logship to ship the ${this.written} lines written so far`, 30_000, 25)
    } catch (err) {
      const shipped = await this.shipped()
      const missing = Array.from({ length: this.written }, (_, i) => i).filter((i) => !shipped.has(i))
      const log = (this.logship?.stderr() ?? '').split('\n').filter((l) => !l.startsWith('{"counters"'))
      throw new Error(`${(err as Error).message}; missing ids ${missing.join(',')}\n${this.explain(missing)}\nlogship:\n${log.join('\n')}`, { cause: err })
    }
  }

  shift(): void {
    for (let n = this.copies; n >= 1; n--) if (existsSync(this.copy(n))) renameSync(this.copy(n), this.copy(n + 1))
    this.copies++
  }

  async apply(op: Op): Promise<void> {
    switch (op.kind) {
      case 'append': {
        let text = ''
        for (let i = 0; i < op.lines; i++) text += `${new Date().toISOString()} id=${this.written++} ${PAD}\n`
        appendFileSync(this.log, text)
        return
      }
      case 'rename':
        this.shift()
        renameSync(this.log, this.copy(1))
        writeFileSync(this.log, '')
        return
      case 'copytruncate':
        // (a writer between the copy and the truncation would lose lines: copytruncate's own gap, not modelled)
        if (op.shift) this.shift()
        else {
          if (existsSync(this.copy(1))) {
            await this.settle()
            unlinkSync(this.copy(1))
          }
          this.copies = Math.max(this.copies, 1)
        }
        copyFileSync(this.log, this.copy(1))
        truncateSync(this.log, 0)
        return
      case 'truncate':
        await this.settle()
        truncateSync(this.log, 0)
        return
      case 'delete': {
        const oldest = this.copies
        if (oldest === 0 || !existsSync(this.copy(oldest))) return
        await this.settle()
        unlinkSync(this.copy(oldest))
        this.copies--
        return
      }
      case 'recreate': {
        const target = this.copy(1)
        if (!existsSync(target)) return
        await this.settle()
        const bytes = readFileSync(target)
        unlinkSync(target)
        writeFileSync(target, bytes)
        return
      }
      case 'restart':
        this.logship!.child.kill('SIGTERM')
        expect((await this.logship!.exited).code, this.logship!.stderr()).toBe(0)
        await this.start()
        return
      case 'crash':
        this.crashed = true
        this.logship!.child.kill('SIGKILL')
        await this.logship!.exited
        await this.start()
        return
    }
  }

  async stop(): Promise<void> {
    this.logship?.child.kill('SIGTERM')
    await this.logship?.exited
  }
}

function fileOutput(world: () => World): { yaml: (dir: string) => string; shipped: () => Promise<Map<number, number>> } {
  return {
    yaml: (dir) => `output: { type: file, path: ${dir}/out.ndjson }`,
    shipped: async () => countIds(readNdjson<ShippedLine>(join(world().dir, 'out.ndjson')).events),
  }
}

async function run(world: World, ops: Op[]): Promise<{ counts: Map<number, number>; stderr: string }> {
  await world.start()
  try {
    for (const op of ops) await world.apply(op)
    await world.settle()
    const stderr = world.logship!.stderr()
    return { counts: await world.shipped(), stderr }
  } finally {
    await world.stop()
  }
}

/**
 * A few runs per CI run (each sequence takes seconds of real processes). To hunt, or to replay
 * a failure: LOGSHIP_FC_RUNS=40 LOGSHIP_FC_TIMEOUT=900000, or LOGSHIP_FC_SEED / LOGSHIP_FC_PATH
 * from the failure's message; under CPU load is where timing defects show.
 */
const RUNS_FILE = 5
const RUNS_ES = 3
const TIMEOUT_MS = Number(process.env.LOGSHIP_FC_TIMEOUT ?? 180_000)

function runs(numRuns: number): { numRuns: number; endOnFailure: true; seed?: number; path?: string } {
  const env = process.env
  return {
    numRuns: Number(env.LOGSHIP_FC_RUNS ?? numRuns),
    endOnFailure: true,
    ...(env.LOGSHIP_FC_SEED ? { seed: Number(env.LOGSHIP_FC_SEED) } : {}),
    ...(env.LOGSHIP_FC_PATH ? { path: env.LOGSHIP_FC_PATH } : {}),
  }
}

const sequences = fc.array(opArb, { minLength: 3, maxLength: 14 })
/** For the idempotent output: at least one crash in every sequence. */
const crashingSequences = fc.tuple(sequences, sequences).map(([a, b]) => [...a, { kind: 'crash' as const }, ...b])

/**
 * Sequences CI found, replayed on every run. A copy deleted and written again (a new inode)
 * and then renamed, right before a restart: the registry still held the deleted copy's
 * state (its inode number since reused by another file), restored unclaimed, and that state
 * passed for a live file, so the content under its new inode was read again from 0
 * (seed 232280730 on Node 20 and 22).
 */
const FILE_REPLAYS: [Op[]][] = [
  [
    [
      { kind: 'append', lines: 55 },
      { kind: 'copytruncate', shift: false },
      { kind: 'recreate' },
      { kind: 'rename' },
      { kind: 'restart' },
      { kind: 'rename' },
      { kind: 'append', lines: 37 },
      { kind: 'truncate' },
      { kind: 'rename' },
    ],
  ],
]

describe('random rotation sequences on real files (model-based)', () => {
  // Found under CPU load, fixed: a copytruncate copy read as a new file while the original's
  // reader was held up (duplicates), and a copytruncate between two reads written past the read
  // position (lines never shipped); replays in tail-copytruncate.test.ts and unit/tail-reader.test.ts.
  test.prop([sequences], { ...runs(RUNS_FILE), examples: FILE_REPLAYS })(
    'file output: every line at least once, exactly once without a crash',
    async (ops) => {
      let world!: World
      const out = fileOutput(() => world)
      world = new World('model-file', out.yaml, out.shipped)
      const { counts, stderr } = await run(world, ops)
      const missing = Array.from({ length: world.written }, (_, i) => i).filter((i) => !counts.has(i))
      expect(missing, stderr).toEqual([])
      if (!world.crashed)
        expect(
          [...counts].filter(([, n]) => n > 1).map(([id]) => id),
          `${JSON.stringify(ops)}\n${stderr}`,
        ).toEqual([])
    },
    TIMEOUT_MS,
  )

  test.prop([crashingSequences], runs(RUNS_ES))(
    'idempotent Elasticsearch: exactly one document per line, crashes included',
    async (ops) => {
      const es: FakeElasticsearch = await startFakeElasticsearch()
      try {
        const docs = (): Map<number, number> => {
          const index = es.indices.get('logs-model') ?? new Map()
          return countIds([...index.values()].map((d) => d.source as { message: string }))
        }
        // The registry is written seldom, so a crash re-reads (and re-sends) what was shipped since.
        const world = new World(
          'model-es',
          () => `output: { type: elasticsearch, hosts: ['${es.urls[0]}'], index: logs-model, idempotent: true }`,
          async () => docs(),
          5000,
          (missing) => {
            const sent = [...es.received].filter(([raw]) => raw.includes(` id=${missing[0]} `)).length
            return `bulk requests (actions:outcome): ${es.requests.map((r) => `${r.actions}:${r.outcome}`).join(' ')}; line ${missing[0]} was sent ${sent} times`
          },
        )
        const { counts, stderr } = await run(world, ops)
        const missing = Array.from({ length: world.written }, (_, i) => i).filter((i) => !counts.has(i))
        expect(missing, stderr).toEqual([])
        // One document per line: a line stored twice would be two documents with the same id= (different _ids).
        expect(
          [...counts].filter(([, n]) => n > 1).map(([id]) => id),
          `${JSON.stringify(ops)}\n${stderr}`,
        ).toEqual([])
        const stored = [...(es.indices.get('logs-model')?.values() ?? [])]
        expect(stored.filter((d) => '@metadata' in d.source)).toEqual([])
      } finally {
        await es.close()
      }
    },
    TIMEOUT_MS,
  )
})
