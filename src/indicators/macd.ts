import { invalid } from '../model/index.js';
import { EMA } from './ema.js';
import { checkPeriod, type Indicator } from './indicator.js';

/**
 * Moving Average Convergence/Divergence (Gerald Appel, late 1970s; "Technical Analysis: Power Tools for
 * Active Investors", 2005): macd = EMA(fast) − EMA(slow), signal = EMA(signal) of macd, histogram =
 * macd − signal. `value` is the macd line.
 *
 * Seeding follows TA-Lib's TA_MACD so values match it to the last bits: both EMAs are SMA-seeded and start
 * on the same bar, i.e. the fast EMA ignores the first slow − fast inputs; the signal EMA is seeded with the
 * mean of the first `signal` macd values. All three outputs appear together after slow + signal − 1 inputs
 * (34 for 12/26/9), NaN before.
 */
export class MACD implements Indicator {
  readonly fastPeriod: number;
  readonly slowPeriod: number;
  readonly signalPeriod: number;
  readonly warmup: number;
  value = Number.NaN;
  macd = Number.NaN;
  signal = Number.NaN;
  histogram = Number.NaN;
  private readonly fast: EMA;
  private readonly slow: EMA;
  private readonly sig: EMA;
  private readonly skip: number;
  private n = 0;

  constructor(fast = 12, slow = 26, signal = 9) {
    checkPeriod('macd.fast', fast);
    checkPeriod('macd.slow', slow, 2);
    checkPeriod('macd.signal', signal);
    if (fast >= slow) throw invalid('macd.fast', fast, `must be less than slow (${slow})`);
    this.fastPeriod = fast;
    this.slowPeriod = slow;
    this.signalPeriod = signal;
    this.warmup = slow + signal - 1;
    this.skip = slow - fast;
    this.fast = new EMA(fast);
    this.slow = new EMA(slow);
    this.sig = new EMA(signal);
  }

  get ready(): boolean {
    return this.sig.ready;
  }

  update(x: number): number {
    const s = this.slow.update(x);
    if (this.n < this.skip) {
      this.n++;
      return this.value;
    }
    const f = this.fast.update(x);
    if (!this.slow.ready) return this.value;
    const m = f - s;
    const g = this.sig.update(m);
    if (!this.sig.ready) return this.value;
    this.macd = m;
    this.signal = g;
    this.histogram = m - g;
    this.value = m;
    return m;
  }

  reset(): void {
    this.fast.reset();
    this.slow.reset();
    this.sig.reset();
    this.n = 0;
    this.value = this.macd = this.signal = this.histogram = Number.NaN;
  }
}
