import type { Attribute, LogModel } from './log-model.js'

/** Events of one Resource (the same resource attributes), in batch order. */
export interface ResourceGroup {
  readonly resource: readonly Attribute[]
  readonly logs: LogModel[]
}

/**
 * Groups events by their Resource: the event's own resource fields, then `fixed` (the
 * configured `resource`, which wins), then `defaults` where neither set the key. Most
 * batches have one group; each distinct set of resource fields adds one.
 */
export function groupByResource(models: readonly LogModel[], fixed: readonly Attribute[], defaults: readonly Attribute[]): ResourceGroup[] {
  const groups = new Map<string, ResourceGroup>()
  for (const model of models) {
    const key = model.resource.length === 0 ? '' : JSON.stringify(model.resource)
    let group = groups.get(key)
    if (!group) {
      group = { resource: mergedResource(model.resource, fixed, defaults), logs: [] }
      groups.set(key, group)
    }
    group.logs.push(model)
  }
  return [...groups.values()]
}

/** An event's resource fields, then `fixed` (which wins), then `defaults` where neither set the key. */
export function mergedResource(own: readonly Attribute[], fixed: readonly Attribute[], defaults: readonly Attribute[]): Attribute[] {
  const merged = new Map<string, Attribute[1]>(own)
  for (const [k, v] of fixed) merged.set(k, v)
  for (const [k, v] of defaults) if (!merged.has(k)) merged.set(k, v)
  return [...merged]
}
