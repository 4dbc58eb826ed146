/**
 * stdout and stderr whose reader went away (`logship ... | head -1`, a log collector that
 * restarted, a closed terminal): Node ignores SIGPIPE, so the next write fails with an 'error'
 * event that, unhandled, ends the process. A shipper must not stop shipping because nobody
 * reads its diagnostics: once a stream fails, what is written to it is dropped. A failure other
 * than EPIPE (a full disk behind `> file`) is said once on the other stream, and a command
 * whose stdout could not be written exits 1.
 */
export function surviveBrokenPipes(): void {
  watch(process.stdout, 'stdout', process.stderr)
  watch(process.stderr, 'stderr', process.stdout)
}

function watch(stream: NodeJS.WriteStream, name: string, other: NodeJS.WriteStream): void {
  let said = false
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (said || err.code === 'EPIPE') return
    said = true
    if (name === 'stdout') process.exitCode = 1
    if (other.destroyed) return
    other.write(`logship: warning: cannot write to ${name} (${err.code ?? err.message}); what logship writes there is dropped from now on\n`)
  })
}
