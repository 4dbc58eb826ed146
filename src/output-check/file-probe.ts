import { access, constants, lstat, stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { HostCheck } from './types.js'

/** The file output: the file (or, when it does not exist yet, its directory) must be writable. */
export async function probeFile(options: { path: string }): Promise<HostCheck[]> {
  const path = resolve(options.path)
  const link = await lstat(path).then(
    (st) => st.isSymbolicLink(),
    () => false,
  )
  if (link) return [{ host: path, ok: false, message: `${path} is a symbolic link; logship never writes through links: point output.path at the real file` }]
  try {
    await access(path, constants.W_OK)
    return [{ host: path, ok: true, message: `${path} exists and is writable` }]
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      return [{ host: path, ok: false, message: `${path} is not writable by this user (${(err as NodeJS.ErrnoException).code}); fix its permissions or choose another path` }]
  }
  const dir = dirname(path)
  try {
    if (!(await stat(dir)).isDirectory()) return [{ host: path, ok: false, message: `${dir} is not a directory` }]
    await access(dir, constants.W_OK)
    return [{ host: path, ok: true, message: `${path} does not exist yet; it will be created in ${dir}, which is writable` }]
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return [
      {
        host: path,
        ok: false,
        message: code === 'ENOENT' ? `the directory ${dir} does not exist; create it first` : `the directory ${dir} is not writable by this user (${code})`,
      },
    ]
  }
}
