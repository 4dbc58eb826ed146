import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

export const peersDir = fileURLToPath(new URL('../.peers/', import.meta.url))
/** Loads a peer package installed by run.mjs into bench/.peers. */
export const requirePeer = createRequire(`${peersDir}package.json`)
