import { invalid } from '../model/index.js';
import { checkPeriod, type Indicator } from './indicator.js';

/**
 * Rolling mean and standard deviation over the last `period` inputs, population form (divide by n) as
 * TA-Lib's STDDEV and Bollinger (1992) use; `ddof: 1` gives the sample form. Updated with the sliding
 * form of Welford's recurrence (Welford 1962): replacing x_out by x moves the mean by (x − x_out)/n and
 * M2 by (x − x_out)·(x − mean' + x_out − mean). Unlike Σx² − n·mean², this does not cancel catastrophically
 * when prices are large and the spread small (BTC at 60,000 moving by cents). The window is re-summed
 * exactly every 4096 updates so rounding cannot drift.
 */
export class RollingStdDev implements Indicator {
  readonly period: number;
  readonly warmup: number;
  readonly ddof: 0 | 1;
  value = Number.NaN;
  mean = Number.NaN;
  variance = Number.NaN;
  private readonly buf: Float64Array;
  private i = 0;
  private n = 0;
  private m = 0;
  private m2 = 0;
  private sinceResum = 0;

  constructor(period: number, opts: { ddof?: 0 | 1 } = {}) {
    const ddof = opts.ddof ?? 0;
    if (ddof !== 0 && ddof !== 1) throw invalid('stddev.ddof', ddof, 'must be 0 or 1');
    checkPeriod('stddev.period', period, ddof + 1);
    this.period = period;
    this.warmup = period;
    this.ddof = ddof;
    this.buf = new Float64Array(period);
  }

  get ready(): boolean {
    return this.n >= this.period;
  }

  update(x: number): number {
    const p = this.period;
    if (this.n < p) {
      const n = ++this.n;
      const d = x - this.m;
      this.m += d / n;
      this.m2 += d * (x - this.m);
    } else {
      const out = this.buf[this.i]!;
      const old = this.m;
      this.m = old + (x - out) / p;
      this.m2 += (x - out) * (x - this.m + out - old);
      if (this.m2 < 0) this.m2 = 0;
    }
    this.buf[this.i] = x;
    this.i = this.i + 1 === p ? 0 : this.i + 1;
    if (this.n < p) return this.value;
    if (++this.sinceResum >= 4096) this.resum();
    this.mean = this.m;
    this.variance = this.m2 / (p - this.ddof);
    this.value = Math.sqrt(this.variance);
    return this.value;
  }

  private resum(): void {
    const p = this.period;
    let s = 0;
    for (let k = 0; k < p; k++) s += this.buf[k]!;
    const mean = s / p;
    let q = 0;
    for (let k = 0; k < p; k++) {
      const d = this.buf[k]! - mean;
      q += d * d;
    }
    this.m = mean;
    this.m2 = q;
    this.sinceResum = 0;
  }

  reset(): void {
    this.buf.fill(0);
    this.i = 0;
    this.n = 0;
    this.m = 0;
    this.m2 = 0;
    this.sinceResum = 0;
    this.value = this.mean = this.variance = Number.NaN;
  }
}

/**
 * Rolling z-score: (x − mean) / σ over the last `period` inputs, x included (population σ). A flat window
 * (σ = 0) gives 0: x then equals the mean, and 0 keeps threshold rules quiet instead of firing on ±Infinity.
 */
export class ZScore implements Indicator {
  readonly period: number;
  readonly warmup: number;
  value = Number.NaN;
  private readonly sd: RollingStdDev;

  constructor(period: number) {
    checkPeriod('zscore.period', period, 2);
    this.period = period;
    this.warmup = period;
    this.sd = new RollingStdDev(period);
  }

  get ready(): boolean {
    return this.sd.ready;
  }

  update(x: number): number {
    const s = this.sd.update(x);
    if (!this.sd.ready) return this.value;
    this.value = s > 0 ? (x - this.sd.mean) / s : 0;
    return this.value;
  }

  reset(): void {
    this.sd.reset();
    this.value = Number.NaN;
  }
}
