import { describe, it, expect } from 'vitest'
import { join } from 'node:path'
import { startCli, tempDir, writeConfig, readNdjson } from '../helpers/cli.js'
import { startMariaDb } from '../helpers/mariadb.js'
import { waitFor } from '../helpers/wait.js'
import { missingSoftware } from '../helpers/system-software.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>

/**
 * The mysql module end to end: a real MariaDB logs every statement to its slow log
 * (long_query_time=0) while `logship run` tails it and the error log, joining multi-line
 * slow-log entries and shipping them as ECS documents.
 */
const MISSING = missingSoftware('mysql module e2e', ['mariadbd', 'mariadb-install-db', 'mariadb'])

describe.skipIf(MISSING)('mysql module, end to end with a real MariaDB', () => {
  it('ships slow-log entries (multi-line) and error-log lines as ECS documents, as they are written', async () => {
    const dir = tempDir('mariadb-module')
    const db = await startMariaDb(dir)
    const out = join(dir, 'out.ndjson')
    const cfg = writeConfig(
      dir,
      `modules:
  - module: mysql
    error: { paths: ['${db.errorLog}'], input: { scanIntervalMs: 100 } }
    slowlog: { paths: ['${db.slowLog}'], input: { scanIntervalMs: 100 } }
output: { type: file, path: ${out} }
batch: { flushMs: 50 }
registry: { path: ${dir}/registry.json, flushMs: 200 }
`,
    )
    const logship = startCli(['run', '-c', cfg])
    try {
      db.sql('CREATE DATABASE shop; USE shop; CREATE TABLE orders (id INT PRIMARY KEY, total INT); INSERT INTO orders VALUES (1, 10), (2, 20), (3, 30);')
      db.sql('USE shop; SELECT SLEEP(0.2) AS nap, COUNT(*) FROM orders WHERE total > 15;')
      expect(() => db.sql('USE shop; SELECT * FROM no_such_table;')).toThrow(/doesn't exist/) // fails, and is still in the slow log
      db.sql('SELECT 42 AS marker_query;') // a last entry: the slow log's multi-line reader ends an entry at the next one
      const docs = (): Doc[] => readNdjson<Doc>(out).events
      const slow = (): Doc[] => docs().filter((d) => d.event?.dataset === 'mysql.slowlog')
      await waitFor(() => slow().some((d) => String(d.mysql?.slowlog?.query).includes('SLEEP(0.2)')), 'the SLEEP query in the slow log', 40_000, 100)
      // the error log's last entry is complete once the multiline timeout passes (nothing follows it)
      const isReady = (d: Doc): boolean => d.event?.dataset === 'mysql.error' && String(d.message).includes('ready for connections')
      await waitFor(() => docs().some(isReady), "the error log's 'ready for connections' entry", 40_000, 100)

      expect(slow().every((d) => !d.tags?.includes('_logship_parse_failure'))).toBe(true)
      const nap = slow().find((d) => String(d.mysql.slowlog.query).includes('SLEEP(0.2)'))!
      expect(nap).toMatchObject({
        event: { module: 'mysql', dataset: 'mysql.slowlog' },
        user: { name: 'root' },
        mysql: { slowlog: { schema: 'shop', rows_sent: 1, rows_examined: 3 } },
        log: { file: { path: db.slowLog } },
      })
      expect(nap.mysql.slowlog.query).toBe('SELECT SLEEP(0.2) AS nap, COUNT(*) FROM orders WHERE total > 15;')
      expect(nap.event.duration).toBeGreaterThanOrEqual(200_000_000) // nanoseconds: at least the 0.2 s sleep
      expect(typeof nap.mysql.slowlog.lock_time.sec).toBe('number')
      expect(typeof nap['@timestamp']).toBe('string')

      const ready = docs().find(isReady)
      expect(ready).toMatchObject({ event: { module: 'mysql', dataset: 'mysql.error' }, log: { level: 'Note', file: { path: db.errorLog } } })
    } finally {
      await logship.signal('SIGTERM')
      await logship.exited
      await db.stop()
    }
  })
})
