export const NO_WORKERS_WARNING =
  "Node's permission model is on without --allow-worker, so the shipping engine runs on the app's thread (as with thread: 'main': whenFull 'block' acts as 'drop-newest'); start node with --allow-worker to ship from a worker thread, or set thread: 'main' to silence this warning"

/**
 * Under Node's permission model (`--permission`, `--experimental-permission` before 23.5)
 * without `--allow-worker`, `new Worker` throws ERR_ACCESS_DENIED: the engine then runs on
 * the app's thread instead of createShipper() throwing at the app.
 */
export function workerThreadsAllowed(): boolean {
  const permission = (process as { permission?: { has(scope: string): boolean } }).permission
  return permission === undefined || permission.has('worker')
}
