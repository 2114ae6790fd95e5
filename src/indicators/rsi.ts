import { checkPeriod, type Indicator } from './indicator.js';

/**
 * Relative Strength Index (Wilder 1978, "New Concepts in Technical Trading Systems"): 100·G / (G + L)
 * where G and L are Wilder-smoothed averages of gains and losses. The first averages are plain means of the
 * first `period` changes (so the first value needs period + 1 inputs), then G ← (G·(p−1) + gain) / p, the
 * order of operations TA-Lib's TA_RSI uses. A window with no change at all gives 50 (TA-Lib gives 0; 50 is
 * the neutral reading and does not fake an oversold signal on a halted market).
 */
export class RSI implements Indicator {
  readonly period: number;
  readonly warmup: number;
  value = Number.NaN;
  private prev = Number.NaN;
  private n = 0;
  private gain = 0;
  private loss = 0;

  constructor(period: number) {
    checkPeriod('rsi.period', period);
    this.period = period;
    this.warmup = period + 1;
  }

  get ready(): boolean {
    return this.n > this.period;
  }

  update(x: number): number {
    const p = this.period;
    const prev = this.prev;
    this.prev = x;
    const n = this.n;
    if (n === 0) {
      this.n = 1;
      return this.value;
    }
    const d = x - prev;
    if (n > p) {
      let g = this.gain * (p - 1);
      let l = this.loss * (p - 1);
      if (d < 0) l -= d;
      else g += d;
      this.gain = g / p;
      this.loss = l / p;
    } else {
      if (d < 0) this.loss -= d;
      else this.gain += d;
      this.n = n + 1;
      if (n < p) return this.value;
      this.gain /= p;
      this.loss /= p;
    }
    const t = this.gain + this.loss;
    this.value = t === 0 ? 50 : (100 * this.gain) / t;
    return this.value;
  }

  reset(): void {
    this.prev = Number.NaN;
    this.n = 0;
    this.gain = 0;
    this.loss = 0;
    this.value = Number.NaN;
  }
}
