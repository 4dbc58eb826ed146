import { homedir } from 'node:os'
import { join } from 'node:path'

/**
 * Where the CLI keeps its state (registry, spill) when the config does not say: never the
 * working directory, which may be shared or writable by others.
 *   1. `$STATE_DIRECTORY` (systemd's `StateDirectory=logship` sets it; the first entry)
 *   2. `/var/lib/logship` when running as root
 *   3. `$XDG_STATE_HOME/logship`, else `~/.local/state/logship`
 */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env, uid: number | undefined = process.getuid?.()): string {
  const systemd = env.STATE_DIRECTORY?.split(':')[0]
  if (systemd) return systemd
  if (uid === 0) return '/var/lib/logship'
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'logship')
}
