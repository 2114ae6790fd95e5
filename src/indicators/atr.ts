import { checkPeriod, type BarIndicator } from './indicator.js';

/**
 * True range (Wilder 1978): max(high, previous close) − min(low, previous close). It needs a previous close,
 * so the first bar gives NaN — TA-Lib's TRANGE convention (Tulip and some charting packages use high − low
 * for the first bar instead).
 */
export class TrueRange implements BarIndicator {
  readonly warmup = 2;
  value = Number.NaN;
  private prevClose = Number.NaN;

  get ready(): boolean {
    return this.value === this.value;
  }

  update(high: number, low: number, close: number): number {
    const pc = this.prevClose;
    this.prevClose = close;
    if (pc !== pc) return this.value;
    const hi = high > pc ? high : pc;
    const lo = low < pc ? low : pc;
    this.value = hi - lo;
    return this.value;
  }

  reset(): void {
    this.prevClose = Number.NaN;
    this.value = Number.NaN;
  }
}

/**
 * Average True Range (Wilder 1978): Wilder's moving average of the true range. As in TA-Lib's TA_ATR, the
 * first value is the plain mean of the first `period` true ranges (bars 2..period+1, since bar 1 has none),
 * then ATR ← (ATR·(p−1) + TR) / p. Ready after period + 1 bars.
 */
export class ATR implements BarIndicator {
  readonly period: number;
  readonly warmup: number;
  value = Number.NaN;
  private prevClose = Number.NaN;
  private n = 0;
  private sum = 0;

  constructor(period = 14) {
    checkPeriod('atr.period', period);
    this.period = period;
    this.warmup = period + 1;
  }

  get ready(): boolean {
    return this.n >= this.period;
  }

  update(high: number, low: number, close: number): number {
    const pc = this.prevClose;
    this.prevClose = close;
    if (pc !== pc) return this.value;
    const tr = (high > pc ? high : pc) - (low < pc ? low : pc);
    const p = this.period;
    if (this.n >= p) {
      this.value = (this.value * (p - 1) + tr) / p;
      return this.value;
    }
    this.sum += tr;
    if (++this.n === p) this.value = this.sum / p;
    return this.value;
  }

  reset(): void {
    this.prevClose = Number.NaN;
    this.n = 0;
    this.sum = 0;
    this.value = Number.NaN;
  }
}
