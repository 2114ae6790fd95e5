import { checkPeriod, type IndicatorState } from '../indicators/indicator.js';

/**
 * Kyle's lambda (Kyle 1985, "Continuous Auctions and Insider Trading"): the price impact per unit of
 * signed order flow, estimated as the slope of a rolling least-squares regression of price changes on
 * signed volume over the last `window` observations, Δpₜ = λ·qₜ + c + εₜ (the estimator of Hasbrouck 2007,
 * "Empirical Market Microstructure", ch. 8). O(1): running Σq, Σq², Σq·Δp, ΣΔp over a ring buffer,
 * re-summed every 4096 updates. NaN while the window has no variation in q.
 */
export class KyleLambda implements IndicatorState {
  readonly window: number;
  readonly warmup: number;
  value = Number.NaN;
  /** Intercept c of the same fit. */
  intercept = Number.NaN;
  private readonly dp: Float64Array;
  private readonly q: Float64Array;
  private i = 0;
  private n = 0;
  private sx = 0;
  private sy = 0;
  private sxx = 0;
  private sxy = 0;
  private sinceResum = 0;

  constructor(window: number) {
    checkPeriod('kyleLambda.window', window, 2);
    this.window = window;
    this.warmup = window;
    this.dp = new Float64Array(window);
    this.q = new Float64Array(window);
  }

  get ready(): boolean {
    return this.n >= this.window && this.value === this.value;
  }

  /** One observation: the price change over an interval and the signed volume traded in it (buys > 0). */
  update(priceChange: number, signedVolume: number): number {
    const i = this.i;
    if (this.n < this.window) this.n++;
    else {
      const x = this.q[i]!;
      const y = this.dp[i]!;
      this.sx -= x;
      this.sy -= y;
      this.sxx -= x * x;
      this.sxy -= x * y;
    }
    this.q[i] = signedVolume;
    this.dp[i] = priceChange;
    this.sx += signedVolume;
    this.sy += priceChange;
    this.sxx += signedVolume * signedVolume;
    this.sxy += signedVolume * priceChange;
    this.i = i + 1 === this.window ? 0 : i + 1;
    if (++this.sinceResum >= 4096) this.resum();
    if (this.n < this.window) return this.value;
    const n = this.n;
    const den = n * this.sxx - this.sx * this.sx;
    if (!(den > 0)) {
      this.value = this.intercept = Number.NaN;
      return this.value;
    }
    this.value = (n * this.sxy - this.sx * this.sy) / den;
    this.intercept = (this.sy - this.value * this.sx) / n;
    return this.value;
  }

  private resum(): void {
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    for (let k = 0; k < this.n; k++) {
      const x = this.q[k]!;
      const y = this.dp[k]!;
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    this.sx = sx;
    this.sy = sy;
    this.sxx = sxx;
    this.sxy = sxy;
    this.sinceResum = 0;
  }

  reset(): void {
    this.dp.fill(0);
    this.q.fill(0);
    this.i = this.n = this.sinceResum = 0;
    this.sx = this.sy = this.sxx = this.sxy = 0;
    this.value = this.intercept = Number.NaN;
  }
}
