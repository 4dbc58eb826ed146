import { describe, it, expect } from 'vitest'
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync, type Stats } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Registry } from '../../src/tail/registry.js'
import { FileState } from '../../src/tail/file-state.js'
import { readCursor, writeCursor } from '../../src/spill/spill-dir.js'
import { execFileSync } from 'node:child_process'
import { SpillWriter } from '../../src/spill/spill-writer.js'
import { DeadLetterFile } from '../../src/engine/dead-letter.js'
import { createFileOutput } from '../../src/outputs/file.js'
import { Counter } from '../../src/shared/layout.js'
import { dirProblem, fileProblem } from '../../src/fs/safe-file.js'

/**
 * An attacker who can create files in a directory logship writes to plants symbolic links
 * named like logship's files, pointing at a victim file. logship must leave the victim alone.
 */
const VICTIM_TEXT = 'root:SECRET-HASH:19000:0:99999:7:::\n'

function scene(): { dir: string; victim: string } {
  const base = mkdtempSync(join(tmpdir(), 'logship-links-'))
  const dir = join(base, 'state')
  mkdirSync(dir, { mode: 0o700 })
  const victim = join(base, 'victim')
  writeFileSync(victim, VICTIM_TEXT)
  return { dir, victim }
}

const spillOptions = (dir: string) => ({ dir, maxBytes: 1 << 20, segmentBytes: 1 << 16, fsync: 'never' as const, fsyncIntervalMs: 1000 })

describe('planted symbolic links never redirect a write', () => {
  it('registry: a link at the old predictable temp name is not written through', async () => {
    const { dir, victim } = scene()
    const path = join(dir, 'registry.json')
    symlinkSync(victim, join(dir, `.registry.json.tmp-${process.pid}`))
    const registry = await Registry.open(path, () => {})
    registry.add(new FileState({ dev: 1, ino: 2, path: '/var/log/a.log', fpLen: 0, fpHash: '', offset: 0, size: 0 }))
    await registry.save()
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT)
    expect(lstatSync(path).isFile()).toBe(true)
    expect(readFileSync(path, 'utf8')).toContain('/var/log/a.log')
  })

  it('registry: a registry.json that is a link is not read (its target could be any file)', async () => {
    const { dir, victim } = scene()
    const path = join(dir, 'registry.json')
    symlinkSync(victim, path)
    const warnings: string[] = []
    const error = await Registry.open(path, (m) => warnings.push(m)).then(
      () => undefined,
      (err: unknown) => err as Error,
    )
    expect(error?.message).toMatch(/registry\.json is a symbolic link/)
    expect(`${error?.message}${warnings.join('')}`).not.toContain('SECRET-HASH')
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT)
  })

  it('registry: a FIFO at registry.json is refused at once, not waited on for a writer', async () => {
    const { dir } = scene()
    const path = join(dir, 'registry.json')
    execFileSync('mkfifo', [path])
    const error = await Registry.open(path, () => {}).then(
      () => undefined,
      (err: unknown) => err as Error,
    )
    expect(error?.message).toMatch(/registry\.json is not a regular file; remove it/)
  })

  it('spill: a FIFO at the cursor is not waited on: reading starts at the beginning of the spill', () => {
    const { dir } = scene()
    execFileSync('mkfifo', [join(dir, 'cursor')])
    expect(readCursor(dir)).toEqual({ position: 0, number: undefined })
  })

  it('spill: a link at cursor.tmp is not written through', () => {
    const { dir, victim } = scene()
    symlinkSync(victim, join(dir, 'cursor.tmp'))
    writeCursor(dir, { position: 42, number: 7 })
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT)
    expect(readFileSync(join(dir, 'cursor'), 'utf8').trim()).toBe('42 7')
  })

  it('spill: a link named like a segment is neither truncated by recovery nor appended to', () => {
    const { dir, victim } = scene()
    symlinkSync(victim, join(dir, '0000000000000000.seg'))
    const counters = new Float64Array(Counter.SIZE)
    let opened: SpillWriter | undefined
    let error: unknown
    try {
      opened = new SpillWriter(spillOptions(dir), counters)
      opened.append('{"message":"appended to the victim?"}')
    } catch (err) {
      error = err
    } finally {
      opened?.close()
    }
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT)
    expect(String(error)).toMatch(/0000000000000000\.seg is a symbolic link/)
  })

  it('dead letters: a link at the dead-letter path is not appended to, and the loss is reported', async () => {
    const { dir, victim } = scene()
    const path = join(dir, 'dead.ndjson')
    symlinkSync(victim, path)
    const errors: string[] = []
    await new DeadLetterFile(path).append('test', [{ record: Buffer.from('{"message":"x"}'), reason: 'refused' }], (m) => errors.push(m))
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT)
    expect(errors.join('\n')).toMatch(/dead\.ndjson is a symbolic link.*counted as failed/)
  })

  it('file output: a link at the output path is not appended to; the send fails with the reason', async () => {
    const { dir, victim } = scene()
    const path = join(dir, 'out.ndjson')
    symlinkSync(victim, path)
    const output = createFileOutput({ type: 'file', path, strictPerms: true })
    const result = await output.send({ records: [Buffer.from('{"message":"x"}')], key: () => 'k' } as never, new AbortController().signal)
    await output.close()
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT)
    expect(result.status).toBe('retryable')
    expect((result as { error: Error }).error.message).toMatch(/out\.ndjson is a symbolic link/)
  })

  it('file output: a fifo or directory at the output path is refused, not written', async () => {
    const { dir } = scene()
    const path = join(dir, 'out.ndjson')
    mkdirSync(path)
    const output = createFileOutput({ type: 'file', path, strictPerms: true })
    const result = await output.send({ records: [Buffer.from('{}')], key: () => 'k' } as never, new AbortController().signal)
    await output.close()
    expect(result.status).toBe('retryable')
  })

  it('temp files are left behind by nobody: the registry dir holds only registry.json after saves', async () => {
    const { dir } = scene()
    const registry = await Registry.open(join(dir, 'registry.json'), () => {})
    registry.add(new FileState({ dev: 1, ino: 3, path: '/x', fpLen: 0, fpHash: '', offset: 0, size: 0 }))
    await registry.save()
    expect(readdirSync(dir)).toEqual(['registry.json', 'registry.json.lock']) // the lock (one process per registry) goes at shutdown
    expect(statSync(join(dir, 'registry.json')).mode & 0o777).toBe(0o600)
  })
})

describe('state directories others can write to are refused (or warned about with strictPerms: false)', () => {
  it('a world-writable spill dir is refused with the reason and the fix', () => {
    const { dir } = scene()
    chmodSync(dir, 0o777)
    expect(() => new SpillWriter(spillOptions(dir), new Float64Array(Counter.SIZE))).toThrow(/queue\.spill\.dir .* is writable by every user.*chmod 700.*strictPerms: false/)
  })

  it('strictPerms: false accepts it with a warning', () => {
    const { dir } = scene()
    chmodSync(dir, 0o777)
    const warnings: string[] = []
    const writer = new SpillWriter({ ...spillOptions(dir), strictPerms: false, warn: (m: string) => warnings.push(m) }, new Float64Array(Counter.SIZE))
    expect(writer.append('{"a":1}')).toBe('accepted')
    writer.close()
    expect(warnings.join('\n')).toMatch(/writable by every user \(mode 777\).*; using it anyway \(strictPerms: false\)/)
  })

  it('a group-writable registry dir is refused', async () => {
    const { dir } = scene()
    chmodSync(dir, 0o770)
    await expect(Registry.open(join(dir, 'registry.json'), () => {})).rejects.toThrow(/registry directory .* is writable by its group/)
  })

  it('a dead-letter file in a world-writable dir is refused through the loss path', async () => {
    const { dir } = scene()
    chmodSync(dir, 0o1777)
    const errors: string[] = []
    await new DeadLetterFile(join(dir, 'dead.ndjson')).append('test', [{ record: Buffer.from('{}'), reason: 'r' }], (m) => errors.push(m))
    expect(errors.join('\n')).toMatch(/writable by every user.*counted as failed/)
  })

  const stats = (fields: { uid: number; mode: number; file?: boolean }): Stats =>
    ({ uid: fields.uid, mode: fields.mode, isFile: () => fields.file ?? true, isDirectory: () => !(fields.file ?? false) }) as Stats

  it("judges ownership: own or root directories pass, another user's does not", () => {
    expect(dirProblem(stats({ uid: 1000, mode: 0o40700 }), 1000)).toBeUndefined()
    expect(dirProblem(stats({ uid: 0, mode: 0o40755 }), 1000)).toBeUndefined()
    expect(dirProblem(stats({ uid: 1001, mode: 0o40700 }), 1000)).toMatch(/owned by uid 1001/)
    expect(dirProblem(stats({ uid: 0, mode: 0o41777 }), 1000)).toMatch(/writable by every user \(mode 1777\)/)
    expect(fileProblem(stats({ uid: 1001, mode: 0o100600, file: true }), true, 1000)).toMatch(/owned by uid 1001, not by this process's user/)
    expect(fileProblem(stats({ uid: 1001, mode: 0o100600, file: true }), false, 1000)).toBeUndefined()
    expect(fileProblem(stats({ uid: 1000, mode: 0o10600, file: false }), true, 1000)).toMatch(/not a regular file/)
  })
})

describe('test output for the file output', () => {
  it('says a planted link at the output path will be refused', async () => {
    const { probeFile } = await import('../../src/output-check/file-probe.js')
    const { dir, victim } = scene()
    const path = join(dir, 'out.ndjson')
    symlinkSync(victim, path)
    const [check] = await probeFile({ path })
    expect(check).toMatchObject({ ok: false })
    expect(check!.message).toMatch(/is a symbolic link; logship never writes through links/)
  })
})
