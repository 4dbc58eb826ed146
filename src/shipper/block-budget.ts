/**
 * whenFull: block — how much of `budgetMs` write() may still wait in all while the output makes
 * no progress (nothing acknowledged or refused); once it is spent, a full queue drops at once.
 *
 * An object of its own rather than two fields of the Intake: the time waited is fractional, and
 * the first fractional number stored in a field that held only small integers makes V8 give the
 * owning object a new hidden class. As the Intake's fields, that threw away every function
 * compiled against the Intake (write()'s whole fast path) the first time a write waited
 * (`--trace-deopt`: "wrong map"); here it only touches the waiting path.
 */
export class BlockBudget {
  readonly #budgetMs: number
  /** Time waited since the output last made progress, and that progress. */
  #waitedMs = 0
  #progressSeen = -1

  constructor(budgetMs: number) {
    this.#budgetMs = budgetMs
  }

  /** What is left of the budget (0 or less: spent), given the output's progress counter now. */
  left(progress: number): number {
    if (progress !== this.#progressSeen) {
      this.#progressSeen = progress
      this.#waitedMs = 0
    }
    return this.#budgetMs - this.#waitedMs
  }

  waited(ms: number): void {
    this.#waitedMs += ms
  }
}
