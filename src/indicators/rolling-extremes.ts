import { checkPeriod, type Indicator } from './indicator.js';

/**
 * Maximum (or minimum) of the last `period` inputs with a monotonic deque (the "ascending minima"
 * algorithm, Lemire 2006, "Streaming maximum-minimum filter using no more than three comparisons per
 * element"): amortized O(1) and at most `period` entries, kept in two preallocated ring arrays.
 */
abstract class RollingExtreme implements Indicator {
  readonly period: number;
  readonly warmup: number;
  value = Number.NaN;
  private readonly vals: Float64Array;
  /** Sequence number of each kept input; float64 so it never wraps. */
  private readonly seq: Float64Array;
  private head = 0;
  private size = 0;
  private t = 0;

  constructor(field: string, period: number) {
    checkPeriod(field, period);
    this.period = period;
    this.warmup = period;
    this.vals = new Float64Array(period);
    this.seq = new Float64Array(period);
  }

  get ready(): boolean {
    return this.t >= this.period;
  }

  /** True when `kept` should be dropped because `x` dominates it. */
  protected abstract dominated(kept: number, x: number): boolean;

  update(x: number): number {
    const p = this.period;
    const t = ++this.t;
    if (this.size > 0 && this.seq[this.head]! <= t - p) {
      this.head = this.head + 1 === p ? 0 : this.head + 1;
      this.size--;
    }
    while (this.size > 0) {
      let back = this.head + this.size - 1;
      if (back >= p) back -= p;
      if (!this.dominated(this.vals[back]!, x)) break;
      this.size--;
    }
    let at = this.head + this.size;
    if (at >= p) at -= p;
    this.vals[at] = x;
    this.seq[at] = t;
    this.size++;
    if (t >= p) this.value = this.vals[this.head]!;
    return this.value;
  }

  reset(): void {
    this.head = 0;
    this.size = 0;
    this.t = 0;
    this.value = Number.NaN;
  }
}

export class RollingMax extends RollingExtreme {
  constructor(period: number) {
    super('max.period', period);
  }
  protected dominated(kept: number, x: number): boolean {
    return kept <= x;
  }
}

export class RollingMin extends RollingExtreme {
  constructor(period: number) {
    super('min.period', period);
  }
  protected dominated(kept: number, x: number): boolean {
    return kept >= x;
  }
}
