import { checkPeriod, type Indicator } from '../indicators/indicator.js';

/**
 * Realized volatility over the last `window` log returns: √Σ rᵢ² (Andersen & Bollerslev 1998, "Answering
 * the skeptics"), not annualised — multiply by √(periods per year / window) for that. Needs window + 1
 * prices. O(1) with a ring buffer of squared returns, re-summed every 4096 updates.
 */
export class RealizedVolatility implements Indicator {
  readonly window: number;
  readonly warmup: number;
  value = Number.NaN;
  private readonly sq: Float64Array;
  private prev = Number.NaN;
  private i = 0;
  private n = 0;
  private sum = 0;
  private sinceResum = 0;

  constructor(window: number) {
    checkPeriod('realizedVol.window', window);
    this.window = window;
    this.warmup = window + 1;
    this.sq = new Float64Array(window);
  }

  get ready(): boolean {
    return this.n >= this.window;
  }

  update(price: number): number {
    const prev = this.prev;
    this.prev = price;
    if (prev !== prev) return this.value;
    const r = Math.log(price / prev);
    const q = r * r;
    const i = this.i;
    if (this.n < this.window) this.n++;
    else this.sum -= this.sq[i]!;
    this.sq[i] = q;
    this.sum += q;
    this.i = i + 1 === this.window ? 0 : i + 1;
    if (++this.sinceResum >= 4096) {
      let s = 0;
      for (let k = 0; k < this.n; k++) s += this.sq[k]!;
      this.sum = s;
      this.sinceResum = 0;
    }
    if (this.n >= this.window) this.value = Math.sqrt(this.sum > 0 ? this.sum : 0);
    return this.value;
  }

  reset(): void {
    this.sq.fill(0);
    this.prev = Number.NaN;
    this.i = this.n = this.sinceResum = 0;
    this.sum = 0;
    this.value = Number.NaN;
  }
}
