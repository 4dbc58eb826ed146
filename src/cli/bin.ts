#!/usr/bin/env node
import { descriptorAdvice, readSoftNofileLimit } from '../util/fd-limit.js'

// The `logship` command's first module (package.json "bin"): it starts the real one,
// main.ts. Under a very low open-file limit, loading main's modules fails (EMFILE) before any
// of logship runs, and Node would print only its stack; here that failure still gets a
// message saying what to raise. The limit is read now, while a descriptor is free to read it.
readSoftNofileLimit()
import('./main.js').catch((err: unknown) => {
  process.stderr.write(`logship: cannot start: ${err instanceof Error ? err.message : String(err)}${descriptorAdvice(err)}\n`)
  process.exit(1)
})
