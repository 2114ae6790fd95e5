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
    this.push(x);
    return this.value;
  }

  /**
   * update() without the result (read `value`): a double returned from a call V8 did not inline is a new
   * heap number, so hot callers (SmaCross) push and read the field: nothing is allocated either way.
   */
  push(x: number): void {
    // One path for warm-up and after (the ring starts as zeros, so during warm-up `x - buf[i]` is `x`
    // exactly), and no call but the rare re-sum: small enough to inline, and the result is the field on
    // both paths (returning a call's result on one path made V8 box the double on every update).
    const p = this.period;
    const i = this.i;
    this.sum += x - this.buf[i]!;
    this.buf[i] = x;
    this.i = i + 1 === p ? 0 : i + 1;
    if (this.n < p) this.n++;
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
