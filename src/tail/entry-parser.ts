/**
 * What a parser is to tail mode: the text of one entry in, the ECS fields to merge into its
 * document out. In a file of its own so that parsers (json-parser.ts) and the registry that
 * names them (parsers.ts) both depend on it instead of on each other.
 */
export type EntryParser = (text: string) => Record<string, unknown>
