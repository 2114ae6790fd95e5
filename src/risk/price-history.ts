import { correlation } from './covariance.js';

/**
 * The last `window + 1` prices of each instrument, sampled once per step (the engine calls `record` after
 * marking prices: one store per instrument per step). Correlations are computed on demand when an order
 * needs them, so the per-bar cost stays a store.
 */
export class PriceHistory {
  readonly window: number;
  private readonly ids: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly prices: Float64Array[] = [];
  private head = 0;
  private count = 0;

  constructor(window: number) {
    this.window = window;
  }

  register(instrumentId: string): number {
    const known = this.index.get(instrumentId);
    if (known !== undefined) return known;
    const j = this.ids.length;
    this.ids.push(instrumentId);
    this.index.set(instrumentId, j);
    this.prices.push(new Float64Array(this.window + 1).fill(Number.NaN));
    return j;
  }

  /** Records one step: `prices[j]` is the last price of the j-th registered instrument (NaN: none yet). */
  recordStep(prices: ArrayLike<number>): void {
    const h = this.head;
    for (let j = 0; j < this.prices.length; j++) this.prices[j]![h] = prices[j]!;
    this.head = h === this.window ? 0 : h + 1;
    this.count++;
  }

  /** Simple returns of an instrument over the window, oldest first (NaN where a price is missing). */
  returns(instrumentId: string): Float64Array {
    const j = this.index.get(instrumentId);
    const k = Math.min(this.count, this.window + 1);
    const out = new Float64Array(Math.max(0, k - 1)).fill(Number.NaN);
    if (j === undefined) return out;
    const p = this.prices[j]!;
    const start = (this.head - k + this.window + 1) % (this.window + 1);
    for (let i = 1; i < k; i++) {
      const a = p[(start + i - 1) % (this.window + 1)]!;
      const b = p[(start + i) % (this.window + 1)]!;
      out[i - 1] = a > 0 && b > 0 ? b / a - 1 : Number.NaN;
    }
    return out;
  }

  /** Correlation of two instruments' returns over the window and the number of paired observations. */
  correlation(a: string, b: string): { rho: number; n: number } {
    const ra = this.returns(a);
    const rb = this.returns(b);
    let n = 0;
    for (let i = 0; i < ra.length; i++) if (!Number.isNaN(ra[i]!) && !Number.isNaN(rb[i]!)) n++;
    return { rho: correlation(ra, rb), n };
  }

  instrumentIds(): readonly string[] {
    return this.ids;
  }
}
