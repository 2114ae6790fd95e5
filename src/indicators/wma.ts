import { checkPeriod, type Indicator } from './indicator.js';

/**
 * Linearly weighted moving average: weights 1..period, the newest input weighs most. O(1) per update by
 * keeping the plain sum S and the weighted sum W of the window: W ← W − S + period·x, then S ← S + x − x_out.
 * Both are recomputed from the window every 4096 updates so rounding cannot accumulate over long runs.
 */
export class WMA implements Indicator {
  readonly period: number;
  readonly warmup: number;
  value = Number.NaN;
  private readonly buf: Float64Array;
  private readonly divisor: number;
  private i = 0;
  private n = 0;
  private sum = 0;
  private wsum = 0;
  private sinceResum = 0;

  constructor(period: number) {
    checkPeriod('wma.period', period);
    this.period = period;
    this.warmup = period;
    this.buf = new Float64Array(period);
    this.divisor = (period * (period + 1)) / 2;
  }

  get ready(): boolean {
    return this.n >= this.period;
  }

  update(x: number): number {
    const p = this.period;
    if (this.n < p) {
      this.n++;
      this.sum += x;
      this.wsum += this.n * x;
      this.buf[this.i] = x;
      this.i = this.i + 1 === p ? 0 : this.i + 1;
      if (this.n === p) this.value = this.wsum / this.divisor;
      return this.value;
    }
    this.wsum += p * x - this.sum;
    this.sum += x - this.buf[this.i]!;
    this.buf[this.i] = x;
    this.i = this.i + 1 === p ? 0 : this.i + 1;
    if (++this.sinceResum >= 4096) this.resum();
    this.value = this.wsum / this.divisor;
    return this.value;
  }

  private resum(): void {
    // Oldest input sits at `i` (the next slot to overwrite) and weighs 1.
    const p = this.period;
    let s = 0;
    let w = 0;
    for (let k = 0; k < p; k++) {
      const v = this.buf[(this.i + k) % p]!;
      s += v;
      w += (k + 1) * v;
    }
    this.sum = s;
    this.wsum = w;
    this.sinceResum = 0;
  }

  reset(): void {
    this.buf.fill(0);
    this.i = 0;
    this.n = 0;
    this.sum = 0;
    this.wsum = 0;
    this.sinceResum = 0;
    this.value = Number.NaN;
  }
}
