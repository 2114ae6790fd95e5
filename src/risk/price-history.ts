import { type NumberColumn, resized } from '../model/index.js';
import { correlation } from './covariance.js';

/**
 * The last `window + 1` prices of each instrument, sampled once per step (the engine calls `record` after
 * marking prices: one store per instrument per step). Correlations are computed on demand when an order
 * needs them, so the per-bar cost stays a store.
 *
 * With `volWindow` > 0 it also keeps each instrument's last `volWindow` step returns with running sums of
 * r and r², so the realized volatility an order check reads is O(1). The sums are recomputed from the ring
 * once per `volWindow` steps, so rounding drift cannot build up (amortized O(1) per step).
 */
export class PriceHistory {
  readonly window: number;
  readonly volWindow: number;
  private readonly ids: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly prices: Float64Array[] = [];
  private head = 0;
  private count = 0;
  private readonly volReturns: Float64Array[] = [];
  private volSum = new Float64Array(0);
  private volSumSq = new Float64Array(0);
  private volCount = new Int32Array(0);
  private volHead = 0;

  constructor(window: number, volWindow = 0) {
    this.window = window;
    this.volWindow = volWindow;
  }

  /**
   * Whether steps are stored. With one instrument and no volatility window nothing can ever ask for them
   * (a correlation needs a second instrument), so a single-instrument backtest skips the store; a second
   * register() starts the recording from then on.
   */
  get recording(): boolean {
    return this.prices.length >= 2 || this.volWindow > 0;
  }

  register(instrumentId: string): number {
    const known = this.index.get(instrumentId);
    if (known !== undefined) return known;
    const j = this.ids.length;
    this.ids.push(instrumentId);
    this.index.set(instrumentId, j);
    this.prices.push(new Float64Array(this.window + 1).fill(Number.NaN));
    if (this.volWindow > 0) {
      this.volReturns.push(new Float64Array(this.volWindow).fill(Number.NaN));
      const grow = <T extends NumberColumn>(a: T): T => resized(a, j + 1);
      this.volSum = grow(this.volSum);
      this.volSumSq = grow(this.volSumSq);
      this.volCount = grow(this.volCount);
    }
    return j;
  }

  /** Records one step: `prices[j]` is the last price of the j-th registered instrument (NaN: none yet). */
  recordStep(prices: ArrayLike<number>): void {
    if (!this.recording) return;
    const h = this.head;
    if (this.volWindow > 0) this.recordReturns(prices, h === 0 ? this.window : h - 1);
    for (let j = 0; j < this.prices.length; j++) this.prices[j]![h] = prices[j]!;
    this.head = h === this.window ? 0 : h + 1;
    this.count++;
  }

  /** The step return of each instrument into the volatility ring, its running sums updated. */
  private recordReturns(prices: ArrayLike<number>, prevSlot: number): void {
    const k = this.volHead;
    for (let j = 0; j < this.volReturns.length; j++) {
      const ring = this.volReturns[j]!;
      const a = this.count > 0 ? this.prices[j]![prevSlot]! : Number.NaN;
      const b = prices[j]!;
      const r = a > 0 && b > 0 ? b / a - 1 : Number.NaN;
      const old = ring[k]!;
      if (old === old) {
        this.volSum[j]! -= old;
        this.volSumSq[j]! -= old * old;
        this.volCount[j]!--;
      }
      ring[k] = r;
      if (r === r) {
        this.volSum[j]! += r;
        this.volSumSq[j]! += r * r;
        this.volCount[j]!++;
      }
    }
    this.volHead = k + 1 === this.volWindow ? 0 : k + 1;
    if (this.volHead === 0) this.resum();
  }

  private resum(): void {
    for (let j = 0; j < this.volReturns.length; j++) {
      const ring = this.volReturns[j]!;
      let s = 0;
      let s2 = 0;
      let n = 0;
      for (let i = 0; i < ring.length; i++) {
        const r = ring[i]!;
        if (r !== r) continue;
        s += r;
        s2 += r * r;
        n++;
      }
      this.volSum[j] = s;
      this.volSumSq[j] = s2;
      this.volCount[j] = n;
    }
  }

  /** Step returns in the volatility window of an instrument (0 when not tracked). */
  volObservations(instrumentId: string): number {
    const j = this.index.get(instrumentId);
    return j === undefined || this.volWindow === 0 ? 0 : this.volCount[j]!;
  }

  /**
   * Sample standard deviation (ddof = 1) of an instrument's last `volWindow` step returns, not annualized;
   * NaN with fewer than two returns or when volatility is not tracked. O(1).
   */
  stepVolatility(instrumentId: string): number {
    const j = this.index.get(instrumentId);
    if (j === undefined || this.volWindow === 0) return Number.NaN;
    const n = this.volCount[j]!;
    if (n < 2) return Number.NaN;
    const s = this.volSum[j]!;
    const v = (this.volSumSq[j]! - (s * s) / n) / (n - 1);
    return v > 0 ? Math.sqrt(v) : 0;
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
