/**
 * `logship/pino`: the default export is the pino transport target
 * (`pino.transport({ target: 'logship/pino', options })`); `pinoDestination(options)` is a
 * destination pino writes to directly. docs/adapters/pino.md says when to use which.
 */
export { default } from './pino-transport.js'
export { PINO_CLOSE_BUDGET_MS, type PinoTransportOptions } from './pino-transport.js'
export { pinoDestination, LogshipPinoDestination, type PinoDestinationOptions } from './pino-destination.js'
export { ecsFromPino, ECS_VERSION } from './ecs.js'
