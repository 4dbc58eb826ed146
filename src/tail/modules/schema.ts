import { z } from '../../util/zod.js'
import { MODULES, type ModuleName } from './catalogue.js'
import { timezoneSchema } from './parsers.js'
import { lazySchema } from '../../util/lazy-schema.js'

/**
 * One fileset of a module entry (`access: { paths: [...] }`). A fileset left out of the
 * entry is enabled with its default paths, as in Filebeat; `enabled: false` turns it off.
 */
export const filesetConfigSchema = lazySchema(() =>
  z
    .strictObject({
      /** @default true */
      enabled: z.boolean('expected true or false').default(true),
      /** Globs of the files to read. @default the catalogue's paths for this platform */
      paths: z
        .array(z.string().min(1, 'expected a non-empty glob'), "expected a list of globs such as ['/var/log/nginx/access.log*']")
        .min(1, 'expected at least one glob; leave paths out for the defaults')
        .optional(),
      /** Zone of times the log writes without an offset. @default 'local' */
      timezone: timezoneSchema.optional(),
      /**
       * More file-input settings for this fileset (`start`, `excludeFiles`, `fields`,
       * `closeInactiveMs`, ...), checked by the file-input schema once expanded.
       */
      input: z.record(z.string(), z.unknown(), 'expected an object of file-input settings such as { start: end }').optional(),
    })
    .prefault({}),
)

export type FilesetConfig = z.output<typeof filesetConfigSchema>

function moduleEntrySchema<M extends ModuleName>(module: M) {
  const filesets = Object.fromEntries(Object.keys(MODULES[module].filesets).map((name) => [name, filesetConfigSchema])) as {
    [F in keyof (typeof MODULES)[M]['filesets']]: typeof filesetConfigSchema
  }
  return z.strictObject({ module: z.literal(module), ...filesets })
}

/** One `modules:` entry: `{ module: nginx, access: {...}, error: {...} }`. Built on first use, like every schema here. */
export const moduleEntrySchemaAny = lazySchema(() => z.discriminatedUnion('module', [moduleEntrySchema('nginx'), moduleEntrySchema('apache'), moduleEntrySchema('mysql')]))

/** The `modules:` section of the config file. */
export const modulesSchema = lazySchema(() => z.array(moduleEntrySchemaAny, 'expected a list of modules such as [{ module: nginx }]'))

export type ModuleEntry = z.output<typeof moduleEntrySchemaAny>
export type ModulesConfig = z.output<typeof modulesSchema>
