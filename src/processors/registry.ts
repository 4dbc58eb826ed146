import { addFields } from './add-fields.js'
import { convert } from './convert.js'
import { copyFields } from './copy-fields.js'
import { decodeJsonFields } from './decode-json-fields.js'
import { dissect } from './dissect.js'
import { dropEvent } from './drop-event.js'
import { dropFields } from './drop-fields.js'
import { fingerprint } from './fingerprint.js'
import { includeFields } from './include-fields.js'
import { nginxAccessFormat } from './nginx-access-format.js'
import { rename } from './rename.js'
import { timestamp } from './timestamp.js'
import { truncateFields } from './truncate-fields.js'
import type { ProcessorDefinition } from './types.js'
import { userAgent } from './user-agent.js'

/** Every processor by its (Filebeat) name. */
export const PROCESSORS: Readonly<Record<string, ProcessorDefinition>> = {
  add_fields: addFields,
  convert,
  copy_fields: copyFields,
  decode_json_fields: decodeJsonFields,
  dissect,
  drop_event: dropEvent,
  drop_fields: dropFields,
  fingerprint,
  include_fields: includeFields,
  nginx_access_format: nginxAccessFormat,
  rename,
  timestamp,
  truncate_fields: truncateFields,
  user_agent: userAgent,
} as Record<string, ProcessorDefinition>

export const PROCESSOR_NAMES = Object.keys(PROCESSORS).sort()
