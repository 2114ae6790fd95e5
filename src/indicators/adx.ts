import { checkPeriod, type BarIndicator } from './indicator.js';

/**
 * Average Directional Index with +DI and −DI (Wilder 1978, "New Concepts in Technical Trading Systems").
 *
 * +DM = up-move when it exceeds the down-move and is positive, −DM likewise; TR is the true range. Their
 * Wilder sums follow S ← S − S/p + x, +DI = 100·S(+DM)/S(TR), DX = 100·|+DI − −DI| / (+DI + −DI), and ADX is
 * Wilder's average of DX. Initialisation follows TA-Lib's TA_ADX / TA_PLUS_DI exactly (so values match it):
 * the sums start as plain sums of the first period − 1 moves, the first DI comes on bar period + 1, and the
 * first ADX is the mean of the first `period` DX values, on bar 2·period. Wilder's book starts the sums from
 * `period` moves instead; after a few multiples of `period` the two agree.
 *
 * `value` is the ADX (NaN until ready); `plusDI`, `minusDI` and `dx` are set from bar period + 1 on.
 */
export class ADX implements BarIndicator {
  readonly period: number;
  readonly warmup: number;
  value = Number.NaN;
  adx = Number.NaN;
  plusDI = Number.NaN;
  minusDI = Number.NaN;
  dx = Number.NaN;
  private prevHigh = Number.NaN;
  private prevLow = Number.NaN;
  private prevClose = Number.NaN;
  private plusDM = 0;
  private minusDM = 0;
  private tr = 0;
  private sumDX = 0;
  /** Bars seen so far. */
  private n = 0;

  constructor(period = 14) {
    checkPeriod('adx.period', period, 2);
    this.period = period;
    this.warmup = 2 * period;
  }

  get ready(): boolean {
    return this.n >= this.warmup;
  }

  update(high: number, low: number, close: number): number {
    const n = ++this.n;
    const p = this.period;
    if (n === 1) {
      this.prevHigh = high;
      this.prevLow = low;
      this.prevClose = close;
      return this.value;
    }
    const up = high - this.prevHigh;
    const down = this.prevLow - low;
    const pc = this.prevClose;
    const tr = (high > pc ? high : pc) - (low < pc ? low : pc);
    this.prevHigh = high;
    this.prevLow = low;
    this.prevClose = close;
    if (n > p) {
      this.plusDM -= this.plusDM / p;
      this.minusDM -= this.minusDM / p;
      this.tr = this.tr - this.tr / p + tr;
    } else {
      this.tr += tr;
    }
    if (down > 0 && up < down) this.minusDM += down;
    else if (up > 0 && up > down) this.plusDM += up;
    if (n <= p) return this.value;

    // An all-zero range leaves DI and DX where they were, as TA-Lib does.
    if (this.tr === 0) return this.finish(n, Number.NaN);
    const pdi = (100 * this.plusDM) / this.tr;
    const mdi = (100 * this.minusDM) / this.tr;
    this.plusDI = pdi;
    this.minusDI = mdi;
    const s = pdi + mdi;
    if (s === 0) return this.finish(n, Number.NaN);
    const dx = (100 * Math.abs(pdi - mdi)) / s;
    this.dx = dx;
    return this.finish(n, dx);
  }

  /** Feeds one DX (NaN = none this bar) into the ADX average. */
  private finish(n: number, dx: number): number {
    const p = this.period;
    if (n < 2 * p) {
      if (dx === dx) this.sumDX += dx;
      return this.value;
    }
    if (n === 2 * p) {
      if (dx === dx) this.sumDX += dx;
      this.adx = this.sumDX / p;
    } else if (dx === dx) {
      this.adx = (this.adx * (p - 1) + dx) / p;
    }
    this.value = this.adx;
    return this.value;
  }

  reset(): void {
    this.prevHigh = this.prevLow = this.prevClose = Number.NaN;
    this.plusDM = this.minusDM = this.tr = this.sumDX = 0;
    this.n = 0;
    this.value = this.adx = this.plusDI = this.minusDI = this.dx = Number.NaN;
  }
}
