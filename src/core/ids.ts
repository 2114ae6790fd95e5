/**
 * Deterministic id generation: `${prefix}-${n}` with a per-kernel counter, so two runs of the same backtest
 * produce the same ids (never randomUUID inside the kernel).
 */
export class IdGenerator {
  private readonly counters = new Map<string, number>();
  constructor(private readonly namespace = '') {}

  next(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return this.namespace ? `${prefix}-${this.namespace}-${n}` : `${prefix}-${n}`;
  }
}
