/**
 * Deterministic id generation: `${prefix}-${n}` with a per-kernel counter, so two runs of the same backtest
 * produce the same ids (never randomUUID inside the kernel).
 */
export class IdCounter {
  private n = 0;
  constructor(private readonly prefix: string) {}
  next(): string {
    return this.prefix + ++this.n;
  }

  /** Takes the next number without spelling the id: format(n) gives the id next() would have. */
  take(): number {
    return ++this.n;
  }

  /** The id of number `n`. */
  format(n: number): string {
    return this.prefix + n;
  }
}

export class IdGenerator {
  private readonly counters = new Map<string, IdCounter>();
  constructor(private readonly namespace = '') {}

  /** The counter of one prefix; hot paths keep it instead of looking it up per id. */
  counter(prefix: string): IdCounter {
    let c = this.counters.get(prefix);
    if (!c)
      this.counters.set(
        prefix,
        (c = new IdCounter(this.namespace ? `${prefix}-${this.namespace}-` : `${prefix}-`)),
      );
    return c;
  }

  next(prefix: string): string {
    return this.counter(prefix).next();
  }
}
