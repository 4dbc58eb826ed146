/** What one host of an output said to `logship test output`. */
export interface HostCheck {
  /** Where, without credentials, e.g. `https://es.internal:9200`. */
  readonly host: string
  readonly ok: boolean
  /** One sentence: what was found, or what is wrong and what to do. */
  readonly message: string
}
