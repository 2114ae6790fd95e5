import { invalid } from '../model/index.js';
import { checkPeriod, type Indicator } from './indicator.js';

/**
 * Rolling mean and standard deviation over the last `period` inputs, population form (divide by n) as
 * TA-Lib's STDDEV and Bollinger (1992) use; `ddof: 1` gives the sample form. O(1) per update with the
 * "shifted data" sums (Chan, Golub & LeVeque 1983, "Algorithms for computing the sample variance"):
 * S1 = Σ(x − K), S2 = Σ(x − K)² with the shift K near the mean, var = (S2 − S1²/n) / n. Plain Σx² − n·mean²
 * cancels catastrophically when prices are large and the spread small (BTC at 60,000 moving by cents:
 * relative error ~1e-6); with the shift the error stays ~1e-12. Every 4096 updates the window is re-summed
 * exactly and K moved to its mean, so neither rounding nor a trending price can degrade it.
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
  private shift = 0;
  private s1 = 0;
  private s2 = 0;
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
    if (this.n === 0) this.shift = x;
    const d = x - this.shift;
    if (this.n < p) {
      this.n++;
      this.s1 += d;
      this.s2 += d * d;
    } else {
      const o = this.buf[this.i]! - this.shift;
      this.s1 += d - o;
      this.s2 += d * d - o * o;
    }
    this.buf[this.i] = x;
    this.i = this.i + 1 === p ? 0 : this.i + 1;
    if (this.n < p) return this.value;
    if (++this.sinceResum >= 4096) this.resum();
    const s1 = this.s1;
    const q = this.s2 - (s1 * s1) / p;
    this.mean = this.shift + s1 / p;
    this.variance = q > 0 ? q / (p - this.ddof) : 0;
    this.value = Math.sqrt(this.variance);
    return this.value;
  }

  private resum(): void {
    const p = this.period;
    let s = 0;
    for (let k = 0; k < p; k++) s += this.buf[k]!;
    const k0 = s / p;
    let a = 0;
    let b = 0;
    for (let k = 0; k < p; k++) {
      const d = this.buf[k]! - k0;
      a += d;
      b += d * d;
    }
    this.shift = k0;
    this.s1 = a;
    this.s2 = b;
    this.sinceResum = 0;
  }

  reset(): void {
    this.buf.fill(0);
    this.i = 0;
    this.n = 0;
    this.shift = 0;
    this.s1 = 0;
    this.s2 = 0;
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
