import { describe, it, expect } from 'vitest'
import { linkSync, mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { OwnFiles } from '../../src/tail/own-files.js'

describe("logship's own files are recognised under any name", () => {
  it('by path (rotations, temp files, the spill dir) and by inode (hard links)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'logship-own-'))
    const out = join(dir, 'out.ndjson')
    writeFileSync(out, '{}\n')
    const own = new OwnFiles([out, join(dir, 'state', 'registry.json')], [join(dir, 'spill')])
    own.refresh()
    expect(own.whatIs(out)).toMatch(/file .*out\.ndjson/)
    expect(own.whatIs(`${out}.1`)).toBeDefined()
    expect(own.whatIs(join(dir, 'state', '.registry.json.tmp-0123abcd'))).toBeDefined()
    expect(own.whatIs(join(dir, 'state', 'registry.json.corrupt-2026'))).toBeDefined()
    expect(own.whatIs(join(dir, 'spill', '0000000000000000.seg'))).toMatch(/spill directory/)
    expect(own.whatIs(join(dir, 'app.log'))).toBeUndefined()
    const alias = join(dir, 'alias.log')
    linkSync(out, alias)
    expect(own.whatIs(alias, statSync(alias))).toMatch(/another name/)
  })
})
