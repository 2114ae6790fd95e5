import { checkPeriod, type BarIndicator } from './indicator.js';

/**
 * Commodity Channel Index (Donald Lambert, "Commodity Channel Index: Tools for Trading Cyclic Trends",
 * Commodities, 1980): (tp − SMA(tp)) / (0.015 · mean deviation), tp = (high + low + close) / 3, mean
 * deviation = mean |tp_i − SMA| over the window. As TA-Lib's TA_CCI; 0 when the deviation is 0.
 *
 * The one indicator here that is O(period) per update, not O(1): the mean absolute deviation is taken
 * around the *current* mean, which moves every bar, so every |tp_i − mean| changes and there is no exact
 * recurrence. Two tight passes over a Float64Array of `period` values (20 by default) cost tens of ns.
 */
export class CCI implements BarIndicator {
  readonly period: number;
  readonly warmup: number;
  value = Number.NaN;
  private readonly buf: Float64Array;
  private i = 0;
  private n = 0;

  constructor(period = 20) {
    checkPeriod('cci.period', period, 2);
    this.period = period;
    this.warmup = period;
    this.buf = new Float64Array(period);
  }

  get ready(): boolean {
    return this.n >= this.period;
  }

  update(high: number, low: number, close: number): number {
    const p = this.period;
    const tp = (high + low + close) / 3;
    const buf = this.buf;
    buf[this.i] = tp;
    this.i = this.i + 1 === p ? 0 : this.i + 1;
    if (this.n < p && ++this.n < p) return this.value;
    let s = 0;
    for (let k = 0; k < p; k++) s += buf[k]!;
    const mean = s / p;
    let dev = 0;
    for (let k = 0; k < p; k++) dev += Math.abs(buf[k]! - mean);
    dev /= p;
    const d = tp - mean;
    this.value = d !== 0 && dev !== 0 ? d / (0.015 * dev) : 0;
    return this.value;
  }

  reset(): void {
    this.buf.fill(0);
    this.i = 0;
    this.n = 0;
    this.value = Number.NaN;
  }
}
