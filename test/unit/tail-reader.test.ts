import { describe, it, expect } from 'vitest'
import { appendFileSync, copyFileSync, mkdtempSync, truncateSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfigText, type FileInputConfig } from '../../src/config/index.js'
import { Registry } from '../../src/tail/registry.js'
import { AckQueue, Feeder, type RecordTarget } from '../../src/tail/feeder.js'
import { FileInput } from '../../src/tail/file-input.js'
import { HandleBudget } from '../../src/tail/handle-budget.js'
import { DocumentBuilder } from '../../src/tail/document.js'
import { newCounters } from '../../src/tail/stats.js'
import { waitFor } from '../helpers/wait.js'

/**
 * The file input in this process, with a queue that records what it is offered and lets a
 * test act on the files at an exact moment of the reading: while the reader hands on the
 * entries of one read, before its next read (no pause in between, so no scan is waited for).
 */

const LINE = 1000

function lines(first: number, count: number): string {
  let text = ''
  for (let id = first; id < first + count; id++) text += `${`line id=${id} `.padEnd(LINE - 1, 'x')}\n`
  return text
}

class RecordingQueue implements RecordTarget {
  readonly messages: string[] = []
  /** Runs once, during the first offer. */
  onFirstOffer: (() => void) | undefined

  offerText(record: string): 'accepted' {
    return this.#take(record)
  }

  offerRecord(record: Uint8Array): 'accepted' {
    return this.#take(Buffer.from(record).toString('utf8'))
  }

  #take(json: string): 'accepted' {
    const hook = this.onFirstOffer
    this.onFirstOffer = undefined
    hook?.()
    this.messages.push((JSON.parse(json) as { message: string }).message)
    return 'accepted'
  }

  writable(): Promise<void> {
    return Promise.resolve()
  }

  progress(): { accepted: number; settled: number } {
    return { accepted: this.messages.length, settled: this.messages.length }
  }

  ids(): Map<number, number> {
    const counts = new Map<number, number>()
    for (const m of this.messages) {
      const id = Number(/id=(\d+)/.exec(m)?.[1] ?? -1)
      counts.set(id, (counts.get(id) ?? 0) + 1)
    }
    return counts
  }
}

async function fileInput(dir: string, queue: RecordingQueue): Promise<FileInput> {
  const config = parseConfigText(
    `inputs: [{ type: file, paths: ['${dir}/app.log*'], scanIntervalMs: 20 }]\noutput: { type: console }\nregistry: { path: ${dir}/registry.json }\n`,
    'logship.yml',
  )
  const input = config.inputs[0] as FileInputConfig
  const registry = await Registry.open(join(dir, 'registry.json'), () => {})
  return new FileInput({
    input,
    feeder: new Feeder(queue, new AckQueue()),
    registry,
    counters: newCounters(),
    once: false,
    maxRecordBytes: 1024 * 1024,
    documentIds: false,
    budget: new HandleBudget(64),
    newBuilder: () => new DocumentBuilder({ inputType: 'file' }),
    warn: () => {},
    info: () => {},
  })
}

describe('the file reader', () => {
  it('copytruncate between two reads of one file, written again past the read position: every line once from the original and the copy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'logship-reader-'))
    const log = join(dir, 'app.log')
    // 600 lines of 1000 bytes: more than one read (256 KiB).
    appendFileSync(log, lines(0, 600))
    const queue = new RecordingQueue()
    // While the first read's entries are handed on: logrotate copytruncate, then the writer
    // writes 700 new lines, past where the next read starts.
    queue.onFirstOffer = () => {
      copyFileSync(log, `${log}.1`)
      truncateSync(log, 0)
      appendFileSync(log, lines(1000, 700))
    }
    const input = await fileInput(dir, queue)
    await input.start(true)
    try {
      const expected = [...Array.from({ length: 600 }, (_, i) => i), ...Array.from({ length: 700 }, (_, i) => 1000 + i)]
      await waitFor(() => expected.every((id) => queue.ids().has(id)), 'every line of the copy and of the new content', 10_000).catch(() => {})
      const counts = queue.ids()
      expect({
        missing: expected.filter((id) => !counts.has(id)),
        twice: [...counts].filter(([, n]) => n > 1).map(([id]) => id),
        unexpected: [...counts.keys()].filter((id) => !expected.includes(id)),
      }).toEqual({ missing: [], twice: [], unexpected: [] })
    } finally {
      await input.stop()
    }
  })
})
