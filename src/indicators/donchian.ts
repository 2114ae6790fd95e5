import { checkPeriod, type BarIndicator } from './indicator.js';
import { RollingMax, RollingMin } from './rolling-extremes.js';

/**
 * Donchian channels (Richard Donchian; the "20-day breakout" of the Turtle rules): upper = highest high
 * and lower = lowest low of the last `period` bars, the current bar included; middle is their mean
 * (TA-Lib's MIDPRICE). `value` is the middle. A breakout rule compares today's price with the channel of
 * the bars before it, so read the channel before updating with today's bar.
 */
export class DonchianChannels implements BarIndicator {
  readonly period: number;
  readonly warmup: number;
  value = Number.NaN;
  upper = Number.NaN;
  lower = Number.NaN;
  middle = Number.NaN;
  private readonly hi: RollingMax;
  private readonly lo: RollingMin;

  constructor(period = 20) {
    checkPeriod('donchian.period', period);
    this.period = period;
    this.warmup = period;
    this.hi = new RollingMax(period);
    this.lo = new RollingMin(period);
  }

  get ready(): boolean {
    return this.hi.ready;
  }

  update(high: number, low: number): number {
    const u = this.hi.update(high);
    const l = this.lo.update(low);
    if (!this.hi.ready) return this.value;
    this.upper = u;
    this.lower = l;
    this.middle = (u + l) / 2;
    this.value = this.middle;
    return this.value;
  }

  reset(): void {
    this.hi.reset();
    this.lo.reset();
    this.value = this.upper = this.lower = this.middle = Number.NaN;
  }
}
