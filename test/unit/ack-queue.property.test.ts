import { describe, expect } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { AckQueue } from '../../src/tail/feeder.js'
import { FileState } from '../../src/tail/file-state.js'

// Model-based: tail mode's read pointers wait in the AckQueue until every record before them
// is settled. Bursts of thousands of checkpoints cross the point where the queue moves what is
// left to the front of its arrays (over 4096 applied, more than half).
const op = fc.oneof(
  // `count` checkpoints of file `file`, each `records` records after the previous one
  fc.record({ file: fc.nat(2), count: fc.integer({ min: 1, max: 3000 }), records: fc.nat(2) }),
  fc.record({ settle: fc.nat(4000) }),
)

const newState = (i: number): FileState => new FileState({ dev: 1, ino: i, path: `/logs/${i}.log`, fpLen: 0, fpHash: '', offset: 0, size: 0 })

describe('AckQueue', () => {
  test.prop([fc.array(op, { maxLength: 40 })], { numRuns: 150 })('acknowledges each file up to its last checkpoint whose records are all settled, in order', (ops) => {
    const acks = new AckQueue()
    const files = [0, 1, 2].map(newState)
    const waiting: { file: number; seqEnd: number; offset: number }[] = []
    const acked = [0, 0, 0]
    const offsets = [0, 0, 0]
    let accepted = 0
    let settled = 0
    for (const o of ops) {
      if ('file' in o) {
        for (let i = 0; i < o.count; i++) {
          accepted += o.records
          offsets[o.file]! += 10
          acks.push(accepted, files[o.file]!, offsets[o.file]!)
          const last = waiting.at(-1)
          // the same file with no record since its last checkpoint moves that checkpoint
          if (last?.file === o.file && last.seqEnd === accepted) last.offset = offsets[o.file]!
          else waiting.push({ file: o.file, seqEnd: accepted, offset: offsets[o.file]! })
        }
      } else {
        settled = Math.min(accepted, settled + o.settle)
        acks.advance(settled)
        while (waiting.length > 0 && waiting[0]!.seqEnd <= settled) {
          const c = waiting.shift()!
          acked[c.file] = c.offset
        }
      }
      expect(acks.size).toBe(waiting.length)
      expect(files.map((f) => f.ackedOffset)).toEqual(acked)
      expect(files.map((f) => f.pendingAcks)).toEqual([0, 1, 2].map((i) => waiting.filter((c) => c.file === i).length))
    }
  })
})
