import { isIP } from 'node:net'
import { ProcessorFailure } from './types.js'

/** The types `convert` and dissect's `%{key|type}` turn values into (Filebeat's names). */
export const CONVERT_TYPES = ['integer', 'long', 'float', 'double', 'boolean', 'string', 'ip'] as const
export type ConvertType = (typeof CONVERT_TYPES)[number]

const TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True'])
const FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False'])
const INTEGER = /^[+-]?\d+$/

/** `value` as `type`; throws ProcessorFailure naming the value when it is not one. */
export function convertValue(value: unknown, type: ConvertType): unknown {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)
    case 'integer':
    case 'long': {
      if (typeof value === 'number' && Number.isInteger(value)) return value
      if (typeof value === 'boolean') return value ? 1 : 0
      if (typeof value === 'string' && INTEGER.test(value.trim())) {
        const n = Number(value.trim())
        if (Number.isSafeInteger(n)) return n
      }
      throw new ProcessorFailure(`cannot convert ${show(value)} to ${type}`)
    }
    case 'float':
    case 'double': {
      if (typeof value === 'number') return value
      if (typeof value === 'string' && value.trim() !== '') {
        const n = Number(value.trim())
        if (Number.isFinite(n)) return n
      }
      throw new ProcessorFailure(`cannot convert ${show(value)} to ${type}`)
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value
      if (typeof value === 'string' && TRUE.has(value.trim())) return true
      if (typeof value === 'string' && FALSE.has(value.trim())) return false
      if (value === 1 || value === 0) return value === 1
      throw new ProcessorFailure(`cannot convert ${show(value)} to boolean`)
    }
    case 'ip':
      if (typeof value === 'string' && isIP(value.trim()) !== 0) return value.trim()
      throw new ProcessorFailure(`${show(value)} is not an IP address`)
  }
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}
