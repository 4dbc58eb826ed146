export { compileProcessorList } from './compile.js'
export { compileCondition } from './conditions.js'
export type { ProcessorEvent } from './types.js'
