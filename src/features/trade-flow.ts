import { checkPeriod, type IndicatorState } from '../indicators/indicator.js';

/**
 * Trade flow imbalance over the last `window` trades: (buy volume − sell volume) / total volume, in
 * [−1, 1]; side +1 = buyer-initiated (aggressor bought), −1 = seller-initiated. Order-flow imbalance
 * predicts short-horizon returns (Chordia & Subrahmanyam 2004; Cont et al. 2014). Ring buffer, O(1);
 * sums re-added every 4096 trades so rounding cannot drift.
 */
export class TradeFlowImbalance implements IndicatorState {
  readonly window: number;
  readonly warmup: number;
  value = Number.NaN;
  private readonly signed: Float64Array;
  private readonly vol: Float64Array;
  private i = 0;
  private n = 0;
  private sumSigned = 0;
  private sumVol = 0;
  private sinceResum = 0;

  constructor(window: number) {
    checkPeriod('tradeFlow.window', window);
    this.window = window;
    this.warmup = window;
    this.signed = new Float64Array(window);
    this.vol = new Float64Array(window);
  }

  get ready(): boolean {
    return this.n >= this.window;
  }

  update(side: 1 | -1, quantity: number): number {
    const i = this.i;
    if (this.n < this.window) this.n++;
    else {
      this.sumSigned -= this.signed[i]!;
      this.sumVol -= this.vol[i]!;
    }
    const s = side * quantity;
    this.signed[i] = s;
    this.vol[i] = quantity;
    this.sumSigned += s;
    this.sumVol += quantity;
    this.i = i + 1 === this.window ? 0 : i + 1;
    if (++this.sinceResum >= 4096) this.resum();
    if (this.n >= this.window) this.value = this.sumVol > 0 ? this.sumSigned / this.sumVol : 0;
    return this.value;
  }

  private resum(): void {
    let a = 0;
    let b = 0;
    for (let k = 0; k < this.n; k++) {
      a += this.signed[k]!;
      b += this.vol[k]!;
    }
    this.sumSigned = a;
    this.sumVol = b;
    this.sinceResum = 0;
  }

  reset(): void {
    this.signed.fill(0);
    this.vol.fill(0);
    this.i = this.n = this.sinceResum = 0;
    this.sumSigned = this.sumVol = 0;
    this.value = Number.NaN;
  }
}
