import { invalid } from '../model/index.js';
import { checkPeriod, type Indicator } from './indicator.js';
import { RollingStdDev } from './stddev.js';

/**
 * Bollinger Bands (John Bollinger, "Bollinger on Bollinger Bands", 2001): middle = SMA(period), upper and
 * lower = middle ± k·σ with σ the population standard deviation of the same window (Bollinger's own
 * definition and TA-Lib's BBANDS with MAType SMA). `value` is the middle band; `width` = (upper − lower) /
 * middle and `percentB` = (x − lower) / (upper − lower) are his two derived readings (%b is 0.5 when the
 * bands have zero width).
 */
export class BollingerBands implements Indicator {
  readonly period: number;
  readonly k: number;
  readonly warmup: number;
  value = Number.NaN;
  upper = Number.NaN;
  middle = Number.NaN;
  lower = Number.NaN;
  width = Number.NaN;
  percentB = Number.NaN;
  private readonly sd: RollingStdDev;

  constructor(period = 20, k = 2) {
    checkPeriod('bollinger.period', period, 2);
    if (!(Number.isFinite(k) && k > 0)) throw invalid('bollinger.k', k, 'must be a finite number > 0');
    this.period = period;
    this.k = k;
    this.warmup = period;
    this.sd = new RollingStdDev(period);
  }

  get ready(): boolean {
    return this.sd.ready;
  }

  update(x: number): number {
    const s = this.sd.update(x);
    if (!this.sd.ready) return this.value;
    const m = this.sd.mean;
    const band = this.k * s;
    this.middle = m;
    this.upper = m + band;
    this.lower = m - band;
    this.width = (2 * band) / m;
    this.percentB = band > 0 ? (x - this.lower) / (2 * band) : 0.5;
    this.value = m;
    return m;
  }

  reset(): void {
    this.sd.reset();
    this.value = this.upper = this.middle = this.lower = this.width = this.percentB = Number.NaN;
  }
}
