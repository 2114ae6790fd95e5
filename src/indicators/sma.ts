import { invalid } from '../model/index.js';
import type { Indicator } from './indicator.js';

/**
 * Simple moving average over a ring buffer. The running sum is recomputed from the window every
 * `period` updates so float error cannot accumulate over millions of bars.
 */
export class SMA implements Indicator {
  readonly period: number;
  readonly warmup: number;
  value = Number.NaN;
  private readonly buf: Float64Array;
  private i = 0;
  private n = 0;
  private sum = 0;
  private sinceResum = 0;

  constructor(period: number) {
    if (!(Number.isInteger(period) && period >= 1))
      throw invalid('sma.period', period, 'must be an integer >= 1');
    this.period = period;
    this.warmup = period;
    this.buf = new Float64Array(period);
  }

  get ready(): boolean {
    return this.n >= this.period;
  }

  update(x: number): number {
    // The ready path only: warm-up is a call out, so this stays small enough to inline into onBar. Both
    // paths return the field, not the call's result: merging a call's (tagged) result with the ready
    // path's double makes V8 box the double on every update once this is inlined.
    if (this.n < this.period) this.warm(x);
    else {
      const i = this.i;
      this.sum += x - this.buf[i]!;
      this.buf[i] = x;
      this.i = i + 1 === this.period ? 0 : i + 1;
      if (++this.sinceResum >= 4096) this.resum();
      this.value = this.sum / this.period;
    }
    return this.value;
  }

  /** An update during warm-up: the same operations as the ready path, and the count. */
  private warm(x: number): void {
    const p = this.period;
    const i = this.i;
    this.n++;
    this.sum += x;
    this.buf[i] = x;
    this.i = i + 1 === p ? 0 : i + 1;
    if (++this.sinceResum >= 4096) this.resum();
    this.value = this.n >= p ? this.sum / p : Number.NaN;
  }

  private resum(): void {
    let s = 0;
    for (let k = 0; k < this.n; k++) s += this.buf[k]!;
    this.sum = s;
    this.sinceResum = 0;
  }

  reset(): void {
    this.buf.fill(0);
    this.i = 0;
    this.n = 0;
    this.sum = 0;
    this.sinceResum = 0;
    this.value = Number.NaN;
  }
}
