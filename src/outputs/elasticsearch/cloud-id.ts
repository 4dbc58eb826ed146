/**
 * Elastic Cloud IDs are `label:base64(host[:port]$es_uuid[$kibana_uuid])`; the cluster is at
 * `https://es_uuid.host[:port]`.
 */
export function decodeCloudId(cloudId: string): string {
  const colon = cloudId.indexOf(':')
  const encoded = colon === -1 ? cloudId : cloudId.slice(colon + 1)
  const decoded = Buffer.from(encoded, 'base64').toString('utf8')
  const [hostPart, esUuid] = decoded.split('$')
  if (!hostPart || !esUuid || !/^[\w.-]+(:\d+)?$/.test(hostPart)) {
    throw new Error('cloudId is not a valid Elastic Cloud ID; copy it from the deployment page (it looks like name:base64text)')
  }
  const [host, port] = hostPart.split(':')
  return `https://${esUuid}.${host}${port && port !== '443' ? `:${port}` : ''}`
}
