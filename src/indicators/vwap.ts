import { invalid } from '../model/index.js';
import { checkPeriod, type BarIndicator } from './indicator.js';

/** Which price of a bar stands for its volume: the typical price (h + l + c) / 3 (default) or the close. */
export type VwapPrice = 'typical' | 'close';

function checkPrice(field: string, price: unknown): boolean {
  if (price !== 'typical' && price !== 'close') throw invalid(field, price, "must be 'typical' or 'close'");
  return price === 'close';
}

export interface SessionVwapOptions {
  readonly price?: VwapPrice;
  /** Session length in µs (default one day). Sessions are [offset + k·length, offset + (k+1)·length). */
  readonly sessionUs?: number;
  /** Session start offset from the epoch in µs (default 0: sessions start at 00:00 UTC). */
  readonly offsetUs?: number;
}

/**
 * Session VWAP: Σ price·volume / Σ volume since the session began (Berkowitz, Logue & Noser 1988, "The
 * Total Cost of Transactions on the NYSE", introduced it as the execution benchmark). Pass the bar's
 * timestamp (µs) and the sums restart when it falls in a new session; or call `newSession()` yourself.
 * Not ready until the session has traded some volume.
 */
export class SessionVWAP implements BarIndicator {
  readonly warmup = 1;
  readonly sessionUs: number;
  readonly offsetUs: number;
  value = Number.NaN;
  private readonly useClose: boolean;
  private pv = 0;
  private vol = 0;
  private session = Number.NaN;

  constructor(opts: SessionVwapOptions = {}) {
    this.useClose = checkPrice('vwap.price', opts.price ?? 'typical');
    const len = opts.sessionUs ?? 86_400_000_000;
    const off = opts.offsetUs ?? 0;
    if (!(Number.isFinite(len) && len > 0))
      throw invalid('vwap.sessionUs', len, 'must be a finite number > 0');
    if (!Number.isFinite(off)) throw invalid('vwap.offsetUs', off, 'must be finite');
    this.sessionUs = len;
    this.offsetUs = off;
  }

  get ready(): boolean {
    return this.vol > 0;
  }

  /** Starts a new session: the next bar is its first. */
  newSession(): void {
    this.pv = 0;
    this.vol = 0;
    this.value = Number.NaN;
  }

  update(high: number, low: number, close: number, volume: number, ts = Number.NaN): number {
    if (ts === ts) {
      const s = Math.floor((ts - this.offsetUs) / this.sessionUs);
      if (s !== this.session) {
        this.session = s;
        this.newSession();
      }
    }
    const px = this.useClose ? close : (high + low + close) / 3;
    this.pv += px * volume;
    this.vol += volume;
    if (this.vol > 0) this.value = this.pv / this.vol;
    return this.value;
  }

  reset(): void {
    this.newSession();
    this.session = Number.NaN;
  }
}

/**
 * Rolling VWAP over the last `period` bars (Tulip Indicators' `vwma` with price 'close'). Sums are kept
 * incrementally and re-summed every 4096 bars. A window without volume falls back to the plain mean price,
 * there being nothing to weight by.
 */
export class RollingVWAP implements BarIndicator {
  readonly period: number;
  readonly warmup: number;
  value = Number.NaN;
  private readonly useClose: boolean;
  private readonly px: Float64Array;
  private readonly vol: Float64Array;
  private i = 0;
  private n = 0;
  private sumPx = 0;
  private sumPV = 0;
  private sumV = 0;
  private sinceResum = 0;

  constructor(period: number, opts: { price?: VwapPrice } = {}) {
    checkPeriod('rollingVwap.period', period);
    this.useClose = checkPrice('rollingVwap.price', opts.price ?? 'typical');
    this.period = period;
    this.warmup = period;
    this.px = new Float64Array(period);
    this.vol = new Float64Array(period);
  }

  get ready(): boolean {
    return this.n >= this.period;
  }

  update(high: number, low: number, close: number, volume: number): number {
    const p = this.period;
    const x = this.useClose ? close : (high + low + close) / 3;
    const i = this.i;
    if (this.n < p) {
      this.n++;
    } else {
      const ox = this.px[i]!;
      const ov = this.vol[i]!;
      this.sumPx -= ox;
      this.sumPV -= ox * ov;
      this.sumV -= ov;
    }
    this.px[i] = x;
    this.vol[i] = volume;
    this.sumPx += x;
    this.sumPV += x * volume;
    this.sumV += volume;
    this.i = i + 1 === p ? 0 : i + 1;
    if (this.n < p) return this.value;
    if (++this.sinceResum >= 4096) this.resum();
    this.value = this.sumV > 0 ? this.sumPV / this.sumV : this.sumPx / p;
    return this.value;
  }

  private resum(): void {
    let a = 0;
    let b = 0;
    let c = 0;
    for (let k = 0; k < this.period; k++) {
      const x = this.px[k]!;
      const v = this.vol[k]!;
      a += x;
      b += x * v;
      c += v;
    }
    this.sumPx = a;
    this.sumPV = b;
    this.sumV = c;
    this.sinceResum = 0;
  }

  reset(): void {
    this.px.fill(0);
    this.vol.fill(0);
    this.i = 0;
    this.n = 0;
    this.sumPx = this.sumPV = this.sumV = 0;
    this.sinceResum = 0;
    this.value = Number.NaN;
  }
}
