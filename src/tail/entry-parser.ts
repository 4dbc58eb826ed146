/**
 * What a parser is to tail mode: the text of one entry in, the ECS fields to merge into its
 * document out. In a file of its own so that parsers (json-parser.ts) and the registry that
 * names them (parsers.ts) both depend on it instead of on each other.
 *
 * A parser may also render the same fields as JSON text (`asText`): the document builder uses
 * it when nothing else is merged into the document (no processors, no `fields` sharing a key
 * with the parser's), which spares building objects and stringifying them for every entry.
 */
export type EntryParser = ((text: string) => Record<string, unknown>) & { asText?: TextParsing }

export interface TextParsing {
  /** Every top-level key `parse` may render: a document whose `fields` use one of them is built as an object. */
  readonly keys: ReadonlySet<string>
  /** The entry's fields as text, or undefined when only the object parser can render this entry (it failed to parse, say). */
  parse(text: string): ParsedText | undefined
}

export interface ParsedText {
  /** The entry's own `@timestamp`, if it has one. */
  timestamp: string | undefined
  /**
   * `,"key":value` for every top-level key but `@timestamp`, in the order of the object the
   * parser returns: the document's text is its own keys, then these.
   */
  members: string
}
