import { invalid } from '../model/index.js';
import { checkPeriod, type Indicator } from './indicator.js';

export interface EmaOptions {
  /**
   * How the average starts. 'sma' (default): the first value is the simple average of the first `period`
   * inputs, then the recursion runs — TA-Lib's TA_EMA and the convention of most charting packages.
   * 'first': the first input is the first value (ready after one update), as pandas `ewm(adjust=False)`
   * and Tulip Indicators' `ema` do. Both converge; they differ during the first few multiples of `period`.
   */
  readonly seed?: 'sma' | 'first';
}

/**
 * Exponential moving average, smoothing factor k = 2 / (period + 1) (the usual "N-day EMA" weighting,
 * e.g. Appel's MACD). value ← value + k·(x − value), one multiply-add per update.
 */
export class EMA implements Indicator {
  readonly period: number;
  readonly warmup: number;
  readonly k: number;
  value = Number.NaN;
  private readonly seedFirst: boolean;
  private n = 0;
  private sum = 0;

  constructor(period: number, opts: EmaOptions = {}) {
    checkPeriod('ema.period', period);
    const seed = opts.seed ?? 'sma';
    if (seed !== 'sma' && seed !== 'first') throw invalid('ema.seed', seed, "must be 'sma' or 'first'");
    this.period = period;
    this.k = 2 / (period + 1);
    this.seedFirst = seed === 'first';
    this.warmup = this.seedFirst ? 1 : period;
  }

  get ready(): boolean {
    return this.n >= this.warmup;
  }

  update(x: number): number {
    if (this.n >= this.warmup) {
      this.value += this.k * (x - this.value);
      return this.value;
    }
    this.n++;
    this.sum += x;
    if (this.n === this.warmup) this.value = this.seedFirst ? x : this.sum / this.period;
    return this.value;
  }

  reset(): void {
    this.n = 0;
    this.sum = 0;
    this.value = Number.NaN;
  }
}

/**
 * Wilder's moving average (Wilder 1978, "New Concepts in Technical Trading Systems"; also called RMA or
 * SMMA): an EMA with k = 1 / period, seeded with the simple average of the first `period` inputs. RSI,
 * ATR and ADX smooth with it.
 */
export class WilderMA implements Indicator {
  readonly period: number;
  readonly warmup: number;
  value = Number.NaN;
  private n = 0;
  private sum = 0;

  constructor(period: number) {
    checkPeriod('wilder.period', period);
    this.period = period;
    this.warmup = period;
  }

  get ready(): boolean {
    return this.n >= this.period;
  }

  update(x: number): number {
    const p = this.period;
    if (this.n >= p) {
      // (prev·(p−1) + x) / p, written as TA-Lib writes it so values match to the last bits.
      this.value = (this.value * (p - 1) + x) / p;
      return this.value;
    }
    this.n++;
    this.sum += x;
    if (this.n === p) this.value = this.sum / p;
    return this.value;
  }

  reset(): void {
    this.n = 0;
    this.sum = 0;
    this.value = Number.NaN;
  }
}
