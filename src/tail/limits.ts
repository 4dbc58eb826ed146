// The formula lives with the shared-memory layout it follows from (docs/architecture.md).
export { maxRecordBytes } from '../shared/layout.js'
